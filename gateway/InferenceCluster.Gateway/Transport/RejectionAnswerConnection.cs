using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace InferenceCluster.Gateway.Transport;

/// <summary>
/// Kestrel connection middleware: gives every connection a <see cref="RejectionAnswerWriter"/> as its output and
/// makes it known to <see cref="KestrelRejections"/> while the connection lasts.
/// </summary>
internal sealed class RejectionAnswerConnection(ConnectionDelegate next, KestrelRejections rejections)
{
    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transport = connection.Transport;
        var writer = new RejectionAnswerWriter(transport.Output);
        connection.Transport = new TransportPipe(transport.Input, writer);
        rejections.Track(connection.ConnectionId, writer);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            rejections.Untrack(connection.ConnectionId);
        }
    }

    private sealed record TransportPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
