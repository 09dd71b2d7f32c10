using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client.Exceptions;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Sends <see cref="GenerateCompletion"/> to the model's queue with this instance's reply address and a
/// deadline, and has <see cref="CancelCompletion"/> published (<see cref="WorkerCancels"/>) when nobody waits for the answer any more.
/// While the bus is down a request waits for it (within its deadline); every send is bounded and retried,
/// because a send begun as the broker restarts can hang. A command is sent mandatory, so one that nothing is bound to
/// receive (the model's queue was deleted) comes back instead of being dropped: it is sent again a few times, then
/// refused with a retryable 503.
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

    /// <summary>
    /// The pauses before each new send of a returned command, about four seconds in all: the transport declares the
    /// queue and its binding again before the next send, and the workers declare theirs again within seconds.
    /// </summary>
    private static readonly TimeSpan[] ReturnedPauses =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

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

    /// <summary>
    /// Sends the command once the bus is up, retrying a failed or hung send, until the session's deadline or the client
    /// leaves; a command the broker returns unroutable is sent again only <see cref="ReturnedPauses"/> times.
    /// </summary>
    private async Task SendAsync(CompletionSession session, string model, Func<Uri, GenerateCompletion> command)
    {
        var returned = 0;
        for (var attempt = 1; ; attempt++)
        {
            await connection.WaitUpAsync(session.Lifetime).ConfigureAwait(false);
            var replyAddress = replyEndpoint.Address ?? throw OpenAIException.NotConnected();
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(session.Lifetime);
            bounded.CancelAfter(SendTimeout);
            try
            {
                var endpoint = await bus.GetSendEndpoint(ModelQueue.Address(model)).WaitAsync(bounded.Token).ConfigureAwait(false);
                await endpoint.Send(command(replyAddress), context => Prepare(context, replyAddress), bounded.Token)
                    .WaitAsync(bounded.Token).ConfigureAwait(false);
                return;
            }
            catch (MessageReturnedException ex) when (returned == ReturnedPauses.Length)
            {
                LogUnroutable(session.RequestId, model, returned + 1, ReturnedPauses.Length + 1, AnswerOf(ex), ModelQueue.Name(model));
                throw OpenAIException.ModelQueueUnroutable(model);
            }
            catch (MessageReturnedException ex)
            {
                // Expected while a model's queue is missing (deleted, not yet declared again): one line, no stack trace.
                var pause = ReturnedPauses[returned++];
                LogReturned(session.RequestId, model, returned, ReturnedPauses.Length + 1, AnswerOf(ex), ModelQueue.Name(model), pause.TotalSeconds);
                await Task.Delay(pause, time, session.Lifetime).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!session.Lifetime.IsCancellationRequested)
            {
                LogSendRetry(session.RequestId, model, attempt, "it did not finish in time");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSendRetry(session.RequestId, model, attempt, $"it failed ({BrokerAddress.RedactError(ex)})");
                await Task.Delay(RetryPause, time, session.Lifetime).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The broker's reply in a return as its client reports it (<c>312 NO_ROUTE</c>), else the transport's message.</summary>
    private static string AnswerOf(MessageReturnedException returned) =>
        returned.InnerException is PublishReturnException reply ? $"{reply.ReplyCode} {reply.ReplyText}" : BrokerAddress.RedactText(returned.Message);

    /// <summary>
    /// Mandatory on RabbitMQ: a command the model's exchange routes to no queue is returned rather than dropped with a
    /// confirm. A worker whose consumer fails on the command says so to this gateway's replies (see CompletionReplyConsumer).
    /// </summary>
    private static void Prepare(SendContext<GenerateCompletion> context, Uri replyAddress)
    {
        context.FaultAddress = replyAddress;
        if (context.TryGetPayload(out RabbitMqSendContext? rabbit))
        {
            rabbit.Mandatory = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId} for model {Model} dispatched (stream: {Stream})")]
    private partial void LogDispatched(Guid requestId, string model, bool stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} for model {Model}: send attempt {Attempt} is retried, {Reason}")]
    private partial void LogSendRetry(Guid requestId, string model, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Request {RequestId} for model {Model}: send {Send} of at most {Sends} returned by the broker ({Answer}): nothing is bound to the exchange of queue '{Queue}' (the queue is missing); sending it again in {PauseSeconds} s, declaring the queue again")]
    private partial void LogReturned(Guid requestId, string model, int send, int sends, string answer, string queue, double pauseSeconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Request {RequestId} for model {Model}: send {Send} of at most {Sends} returned by the broker ({Answer}): nothing is bound to the exchange of queue '{Queue}'; refused with 503 model_queue_unroutable")]
    private partial void LogUnroutable(Guid requestId, string model, int send, int sends, string answer, string queue);
}
