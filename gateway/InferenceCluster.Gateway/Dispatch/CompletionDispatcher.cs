using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Sends <see cref="GenerateCompletion"/> to the model's queue with this instance's reply address and a
/// deadline, and has <see cref="CancelCompletion"/> published (<see cref="WorkerCancels"/>) when nobody waits for the answer any more.
/// While the bus is down a request waits for it (within its deadline); every send is bounded and retried,
/// because a send begun as the broker restarts can hang.
/// </summary>
internal sealed partial class CompletionDispatcher(
    IBus bus,
    BusConnection connection,
    PendingCompletions pending,
    ReplyEndpoint replyEndpoint,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    DrainEnd drainEnd,
    WorkerCancels cancels,
    ILogger<CompletionDispatcher> logger)
{
    /// <summary>Longest wait for one send; a healthy broker takes milliseconds.</summary>
    internal static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);

    public async Task<CompletionSession> StartAsync(
        string model, IReadOnlyList<ChatMessage>? messages, string? prompt, GenerationConfig config, bool stream, CancellationToken clientAborted)
    {
        var timeout = options.Value.RequestTimeout;
        var requestId = NewId.NextGuid();
        var now = time.GetUtcNow();

        // Register before sending: a fast worker may reply before Send returns.
        var session = new CompletionSession(this, pending.Register(requestId), timeout, time, clientAborted, drainEnd.Token);
        try
        {
            await SendAsync(session, model, address => new GenerateCompletion
            {
                RequestId = requestId,
                Model = model,
                Messages = messages,
                Prompt = prompt,
                Config = config,
                Stream = stream,
                ReplyAddress = address,
                Deadline = now + timeout,
                EnqueuedAt = now,
            }).ConfigureAwait(false);
            LogDispatched(requestId, model, stream);
            return session;
        }
        catch (OperationCanceledException) when (session.DeadlinePassed)
        {
            session.Dispose();
            throw session.TimeoutError();
        }
        catch (OperationCanceledException) when (session.DrainEnded)
        {
            session.Dispose();
            throw OpenAIException.Interrupted();
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    internal void Forget(Guid requestId) => pending.Remove(requestId);

    /// <summary>Has the workers told to stop the request, without waiting for the broker.</summary>
    internal void Cancel(Guid requestId, DateTimeOffset deadline) => cancels.Send(requestId, deadline);

    /// <summary>Sends the command once the bus is up, retrying a failed or hung send, until the session's deadline or the client leaves.</summary>
    private async Task SendAsync(CompletionSession session, string model, Func<Uri, GenerateCompletion> command)
    {
        for (var attempt = 1; ; attempt++)
        {
            await connection.WaitUpAsync(session.Lifetime).ConfigureAwait(false);
            var replyAddress = replyEndpoint.Address ?? throw OpenAIException.NotConnected();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(session.Lifetime);
            bounded.CancelAfter(SendTimeout);
            try
            {
                var endpoint = await bus.GetSendEndpoint(ModelQueue.Address(model)).WaitAsync(bounded.Token).ConfigureAwait(false);
                // A worker whose consumer fails on the command says so to this gateway's replies (see CompletionReplyConsumer).
                await endpoint.Send(command(replyAddress), context => context.FaultAddress = replyAddress, bounded.Token)
                    .WaitAsync(bounded.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (!session.Lifetime.IsCancellationRequested)
            {
                LogSendRetry(null, session.RequestId, model, attempt, "it did not finish in time");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSendRetry(ex, session.RequestId, model, attempt, "it failed");
                await Task.Delay(RetryPause, time, session.Lifetime).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId} for model {Model} dispatched (stream: {Stream})")]
    private partial void LogDispatched(Guid requestId, string model, bool stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} for model {Model}: send attempt {Attempt} is retried, {Reason}")]
    private partial void LogSendRetry(Exception? exception, Guid requestId, string model, int attempt, string reason);
}
