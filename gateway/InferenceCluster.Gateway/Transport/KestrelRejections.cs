using System.Collections.Concurrent;
using System.Diagnostics;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace InferenceCluster.Gateway.Transport;

/// <summary>
/// Requests Kestrel refuses before any application code runs (a request line with <c>%00</c> or bad characters,
/// a missing or invalid Host, bad Content-Length or Transfer-Encoding, a request line or headers too long, an
/// unknown HTTP version) are answered by Kestrel with an empty body, which an OpenAI SDK cannot report. Kestrel
/// raises a diagnostic event for each before it writes its answer; this tells the refused connection's
/// <see cref="RejectionAnswerWriter"/> to put OpenAI's error object in that answer.
/// </summary>
internal sealed class KestrelRejections : IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly ConcurrentDictionary<string, RejectionAnswerWriter> _writers = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;

    public KestrelRejections(DiagnosticListener? listener)
    {
        _subscription = listener?.Subscribe(this, name => name == BadRequestEvent);
    }

    public void Track(string connectionId, RejectionAnswerWriter writer) => _writers[connectionId] = writer;

    public void Untrack(string connectionId) => _writers.TryRemove(connectionId, out _);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        // Only a refusal Kestrel answers itself: not one found after the application began its response, nor a HEAD's,
        // nor one on an HTTP/2 stream, whose connection writes other streams' frames while the event is raised.
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features
            || features.Get<IBadRequestExceptionFeature>()?.Error is not BadHttpRequestException error
            || features.Get<IHttp2StreamIdFeature>() is not null
            || features.Get<IHttpResponseFeature>() is { HasStarted: true }
            || HttpMethods.IsHead(features.Get<IHttpRequestFeature>()?.Method ?? string.Empty)
            || features.Get<IHttpConnectionFeature>()?.ConnectionId is not { } connectionId
            || !_writers.TryGetValue(connectionId, out var writer))
        {
            return;
        }

        writer.Hold(OpenAIException.Unreadable(error.StatusCode, error.Message));
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription?.Dispose();
}
