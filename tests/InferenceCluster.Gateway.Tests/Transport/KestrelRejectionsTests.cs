using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using InferenceCluster.Gateway.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace InferenceCluster.Gateway.Tests.Transport;

public sealed class KestrelRejectionsTests
{
    private const string ConnectionId = "connection-1";

    private static readonly byte[] KestrelRefusal = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();

    [Fact]
    public async Task BadRequest_OnAnHttp1Connection_TheRefusalCarriesTheError()
    {
        var written = await WriteAfterBadRequestAsync(http2Stream: false);

        Assert.Contains("\"code\":\"malformed_request\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequest_OnAnHttp2Stream_TheConnectionsBytesPassUntouched()
    {
        // The stream's event comes while the connection writes other streams' frames: holding those would corrupt them.
        var written = await WriteAfterBadRequestAsync(http2Stream: true);

        Assert.Equal(Encoding.Latin1.GetString(KestrelRefusal), written);
    }

    private static async Task<string> WriteAfterBadRequestAsync(bool http2Stream)
    {
        using var listener = new DiagnosticListener("Microsoft.AspNetCore");
        using var rejections = new KestrelRejections(listener);
        var pipe = new Pipe();
        var writer = new RejectionAnswerWriter(pipe.Writer);
        rejections.Track(ConnectionId, writer);

        var features = new FeatureCollection();
        features.Set<IBadRequestExceptionFeature>(new BadRequest(new BadHttpRequestException("Invalid request target", StatusCodes.Status400BadRequest)));
        features.Set<IHttpRequestFeature>(new HttpRequestFeature { Method = HttpMethods.Get });
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { ConnectionId = ConnectionId });
        if (http2Stream)
        {
            features.Set<IHttp2StreamIdFeature>(new Http2Stream());
        }

        listener.Write("Microsoft.AspNetCore.Server.Kestrel.BadRequest", features);
        await writer.WriteAsync(KestrelRefusal);
        await writer.CompleteAsync();

        var read = await pipe.Reader.ReadAsync();
        var text = Encoding.Latin1.GetString(read.Buffer);
        pipe.Reader.AdvanceTo(read.Buffer.End);
        return text;
    }

    private sealed record BadRequest(Exception Error) : IBadRequestExceptionFeature;

    private sealed class Http2Stream : IHttp2StreamIdFeature
    {
        public int StreamId => 1;
    }
}
