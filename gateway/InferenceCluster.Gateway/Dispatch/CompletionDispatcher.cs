using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Sends <see cref="GenerateCompletion"/> to the model's queue with this instance's reply address and a
/// deadline, and publishes <see cref="CancelCompletion"/> when nobody waits for the answer any more.
/// </summary>
internal sealed partial class CompletionDispatcher(
    IBus bus,
    PendingCompletions pending,
    ReplyEndpoint replyEndpoint,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<CompletionDispatcher> logger)
{
    public async Task<CompletionSession> StartAsync(
        string model, IReadOnlyList<ChatMessage>? messages, string? prompt, GenerationConfig config, bool stream, CancellationToken clientAborted)
    {
        var replyAddress = replyEndpoint.Address ?? throw OpenAIException.NotConnected();
        var timeout = options.Value.RequestTimeout;
        var requestId = NewId.NextGuid();
        var now = time.GetUtcNow();

        // Register before sending: a fast worker may reply before Send returns.
        var session = new CompletionSession(this, pending.Register(requestId), timeout, time, clientAborted);
        try
        {
            var endpoint = await bus.GetSendEndpoint(ModelQueue.Address(model)).ConfigureAwait(false);
            await endpoint.Send(
                new GenerateCompletion
                {
                    RequestId = requestId,
                    Model = model,
                    Messages = messages,
                    Prompt = prompt,
                    Config = config,
                    Stream = stream,
                    ReplyAddress = replyAddress,
                    Deadline = now + timeout,
                    EnqueuedAt = now,
                },
                clientAborted).ConfigureAwait(false);
            LogDispatched(requestId, model, stream);
            return session;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            LogSendFailed(ex, requestId, model);
            throw OpenAIException.NotConnected();
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal void Forget(Guid requestId) => pending.Remove(requestId);

    internal async Task CancelAsync(Guid requestId)
    {
        try
        {
            // Not the client's token: the client is usually the reason for cancelling.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await bus.Publish(new CancelCompletion { RequestId = requestId }, timeout.Token).ConfigureAwait(false);
            LogCancelled(requestId);
        }
        catch (Exception ex) when (ex is OperationCanceledException or MassTransitException or InvalidOperationException)
        {
            // The deadline in the command stops the worker anyway; a lost cancel only wastes its time.
            LogCancelFailed(ex, requestId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId} for model {Model} dispatched (stream: {Stream})")]
    private partial void LogDispatched(Guid requestId, string model, bool stream);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} for model {Model} could not be sent to its queue")]
    private partial void LogSendFailed(Exception exception, Guid requestId, string model);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} cancelled: its caller left or its deadline passed")]
    private partial void LogCancelled(Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the cancellation of request {RequestId}")]
    private partial void LogCancelFailed(Exception exception, Guid requestId);
}
