using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Worker.Receiving;

/// <summary>Sends probes with the bus, which waits for the broker's confirm.</summary>
internal sealed class BusProbeSender(IBus bus) : IProbeSender
{
    public async Task SendAsync(Uri queue, ReceiveProbe probe, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(queue).WaitAsync(cancellationToken).ConfigureAwait(false);
        await endpoint.Send(probe, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
