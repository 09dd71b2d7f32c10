using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Execution;
using InferenceCluster.Worker.Gateways;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Streaming;
using InferenceCluster.Worker.Telemetry;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Consumers;

/// <summary>
/// Takes a model's requests from its queue, runs each on the engine and sends its results to the reply address.
/// Returns only after the final (or failure) message is sent, so the command is acknowledged only then;
/// when the worker shuts down mid-request it throws instead, and the broker redelivers the command.
/// </summary>
internal sealed partial class GenerateCompletionConsumer(
    IInferenceEngine engine,
    RunningRequests running,
    GatewayLiveness gateways,
    ModelQueueActivity activity,
    IBus bus,
    IHostApplicationLifetime lifetime,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<GenerateCompletionConsumer> logger) : IConsumer<GenerateCompletion>
{
    private readonly string _workerId = options.Value.Id!;

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<GenerateCompletion> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        activity.Take();
        try
        {
            await ConsumeAsync(context).ConfigureAwait(false);
        }
        finally
        {
            activity.Finish();
        }
    }

    private async Task ConsumeAsync(ConsumeContext<GenerateCompletion> context)
    {
        var message = context.Message;
        var consumeStart = time.GetUtcNow();
        var started = time.GetTimestamp();
        WorkerTelemetry.RecordQueueWait(message, consumeStart);
        WorkerMetrics.RecordQueueWait(consumeStart - message.EnqueuedAt, message.Model);
        if (context.ReceiveContext.Redelivered)
        {
            WorkerMetrics.RecordRedelivery(message.Model);
        }

        WorkerTelemetry.TagRequest(Activity.Current, message);
        if (context.ReceiveContext.Redelivered)
        {
            // Its earlier run ended without an acknowledgement (a worker died or drained); deltas carry token
            // positions, so the gateway passes on only what its client has not received yet.
            LogRedelivered(message.RequestId);
        }

        // Through the bus's own channel, not the consumer's: a send to a reply queue that is gone (its gateway
        // died) fails its channel, and on the consumer's channel that would take every running request with it.
        var endpoint = await bus.GetSendEndpoint(message.ReplyAddress).ConfigureAwait(false);
        var reply = new ReplyWriter(endpoint, message.ReplyAddress, message.RequestId, _workerId, context.CancellationToken);
        var execution = new CompletionExecution(message, reply, time, consumeStart - message.EnqueuedAt, engine.Model.IsReasoningModel);
        try
        {
            await ExecuteAsync(context, consumeStart, reply, execution).ConfigureAwait(false);
        }
        finally
        {
            var usage = execution.Outcome?.Usage;
            var outcome = reply.Outcome ?? "interrupted";
            WorkerMetrics.RecordOutcome(
                outcome,
                Enum.TryParse<FinishReason>(outcome, ignoreCase: true, out _) ? outcome : null,
                WorkerTelemetry.OperationName(message),
                message.Model,
                time.GetElapsedTime(started),
                usage?.PromptTokens ?? 0,
                usage?.CompletionTokens ?? 0,
                execution.Outcome?.Decode ?? TimeSpan.Zero);
        }
    }

    private async Task ExecuteAsync(ConsumeContext<GenerateCompletion> context, DateTimeOffset consumeStart, ReplyWriter reply, CompletionExecution execution)
    {
        var message = context.Message;

        var untilDeadline = message.Deadline - consumeStart;
        if (untilDeadline <= TimeSpan.Zero)
        {
            LogDeadlinePassed(message.RequestId, message.Deadline);
            WorkerTelemetry.TagFailure(Activity.Current, FailureCodes.DeadlineExceeded, "deadline passed before the request started");
            await reply.SendFailedAsync(
                FailureCodes.DeadlineExceeded,
                $"The request's deadline ({message.Deadline:O}) passed while it waited in the queue.",
                param: null,
                retryable: false).ConfigureAwait(false);
            return;
        }

        using var request = running.Start(message.RequestId, context.CancellationToken, untilDeadline);
        using var watch = gateways.Watch(message.ReplyAddress, request);
        try
        {
            var requestId = message.RequestId.ToString("N");
            var token = request.Token;
            await execution.RunAsync(() => engine.GenerateAsync(requestId, message.Messages, message.Prompt, message.Config, token), token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            await InterruptedAsync(context, reply).ConfigureAwait(false);
            throw;
        }
        catch (ReplyDeliveryException undeliverable)
        {
            if (await gateways.WaitUntilLostAsync(watch, context.CancellationToken).ConfigureAwait(false))
            {
                // The reply queue went with its gateway: nobody waits, so the command is done.
                LogGatewayGone(message.RequestId, message.ReplyAddress);
                return;
            }

            // Nothing more can reach the caller; let the transport decide (fault, or redelivery if the channel died).
            LogReplyUndeliverable(message.RequestId, message.ReplyAddress, undeliverable.Message);
            throw;
        }
        catch (GenerationRejectedException rejected)
        {
            LogRejected(message.RequestId, rejected.Code, rejected.Param, rejected.Message);
            WorkerTelemetry.TagFailure(Activity.Current, rejected.Code, rejected.Message);
            await reply.SendFailedAsync(rejected.Code, rejected.Message, rejected.Param, retryable: false).ConfigureAwait(false);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogEngineFailed(exception, message.RequestId);
            WorkerTelemetry.TagFailure(Activity.Current, FailureCodes.EngineError, exception.Message);
            await reply.SendFailedAsync(FailureCodes.EngineError, $"The engine failed: {exception.Message}", param: null, retryable: false)
                .ConfigureAwait(false);
            return;
        }

        if (watch.Lost)
        {
            // Its gateway is gone, and with it the reply queue: sending there would only fail.
            LogGatewayGone(message.RequestId, message.ReplyAddress);
            return;
        }

        if (context.CancellationToken.IsCancellationRequested)
        {
            // The engine ended the request because its consume was cancelled, not because it was done.
            await InterruptedAsync(context, reply).ConfigureAwait(false);
            context.CancellationToken.ThrowIfCancellationRequested();
        }

        await SendOutcomeAsync(execution, reply, request, message).ConfigureAwait(false);
    }

    /// <summary>
    /// The transport cancelled the consume. When the worker is stopping, or the channel the command came on has closed
    /// (the connection was lost, or the broker dropped it), the command is left unacknowledged and the broker hands it to
    /// another worker. Otherwise the broker cancelled this worker's consumer on an open channel while the worker runs on,
    /// as it does when the model's queue is deleted, and the unacknowledged command goes with the queue: nothing would
    /// run the request again and its client would wait for its deadline, so it is told to send it again.
    /// </summary>
    private async Task InterruptedAsync(ConsumeContext<GenerateCompletion> context, ReplyWriter reply)
    {
        var message = context.Message;
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            LogRequeuedOnShutdown(message.RequestId);
            return;
        }

        if (context.TryGetPayload(out ChannelContext? channel) && !channel.Channel.IsOpen)
        {
            // Another worker resumes it; a failure sent now, once the bus reconnects, could end the stream it continues.
            LogRequeuedOnChannelLoss(message.RequestId);
            return;
        }

        LogInterrupted(message.RequestId);
        const string why = "The message broker took this request from the worker running it (it cancelled the worker's consumer, as it does when the model's queue is deleted); nothing will run it again. Send it again.";
        WorkerTelemetry.TagFailure(Activity.Current, FailureCodes.WorkerInterrupted, why);
        try
        {
            await reply.SendFailedAsync(FailureCodes.WorkerInterrupted, why, param: null, retryable: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ReplyDeliveryException undeliverable)
        {
            // The connection itself is down: the broker gives the command back once it notices, and another worker resumes it.
            LogReplyUndeliverable(message.RequestId, message.ReplyAddress, undeliverable.Message);
        }
    }

    private async Task SendOutcomeAsync(CompletionExecution execution, ReplyWriter reply, RunningRequest request, GenerateCompletion message)
    {
        var outcome = execution.Outcome;
        if (outcome is null)
        {
            LogNoFinalEvent(message.RequestId);
            await reply.SendFailedAsync(FailureCodes.EngineError, "The engine ended the request without a final event.", null, false)
                .ConfigureAwait(false);
            return;
        }

        if (outcome.FinishReason == GenerationFinishReason.Error)
        {
            var error = outcome.Error ?? "unknown engine error";
            LogEngineError(message.RequestId, error);
            WorkerTelemetry.TagFailure(Activity.Current, FailureCodes.EngineError, error);
            await reply.SendFailedAsync(FailureCodes.EngineError, $"The engine failed: {error}", null, false).ConfigureAwait(false);
            return;
        }

        if (outcome.FinishReason == GenerationFinishReason.Cancelled && !request.CancelRequested && time.GetUtcNow() >= message.Deadline)
        {
            LogDeadlinePassed(message.RequestId, message.Deadline);
            WorkerTelemetry.TagFailure(Activity.Current, FailureCodes.DeadlineExceeded, "deadline passed while generating");
            await reply.SendFailedAsync(
                FailureCodes.DeadlineExceeded,
                $"The request's deadline ({message.Deadline:O}) passed while it was being generated.",
                null,
                false).ConfigureAwait(false);
            return;
        }

        var finishReason = FinishReasons.ToContract(outcome.FinishReason);
        WorkerTelemetry.TagUsage(Activity.Current, outcome.Usage, finishReason, outcome.MaxTokens, outcome.MinTokens);
        await reply.SendFinishedAsync(
            finishReason,
            outcome.Usage,
            execution.Timings,
            engine.Model.Revision,
            message.Stream ? null : execution.FullText,
            message.Stream ? null : execution.FullLogprobs,
            execution.Tail,
            execution.ReasoningTokens,
            outcome.MaxTokens).ConfigureAwait(false);
        LogFinished(message.RequestId, finishReason, outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens, reply.DeltasSent);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} acknowledged without an answer: its gateway ({ReplyAddress}) is gone")]
    private partial void LogGatewayGone(Guid requestId, Uri replyAddress);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} redelivered: running it again from its first token")]
    private partial void LogRedelivered(Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} dropped: its deadline {Deadline} has passed")]
    private partial void LogDeadlinePassed(Guid requestId, DateTimeOffset deadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} rejected ({Code}, param {Param}): {Reason}")]
    private partial void LogRejected(Guid requestId, string code, string? param, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId}: results cannot be delivered to {ReplyAddress} ({Error})")]
    private partial void LogReplyUndeliverable(Guid requestId, Uri replyAddress, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed in the engine")]
    private partial void LogEngineFailed(Exception exception, Guid requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed in the engine: {Error}")]
    private partial void LogEngineError(Guid requestId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId}: the engine ended the stream without a final event")]
    private partial void LogNoFinalEvent(Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} interrupted: the broker cancelled this worker's consumer (was the model's queue deleted?) while the worker runs on; its gateway is told to have it sent again")]
    private partial void LogInterrupted(Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} interrupted: the channel it came on closed; left unacknowledged for redelivery")]
    private partial void LogRequeuedOnChannelLoss(Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} interrupted by shutdown; left unacknowledged for redelivery")]
    private partial void LogRequeuedOnShutdown(Guid requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} finished ({FinishReason}): {PromptTokens} prompt + {CompletionTokens} completion tokens, {Deltas} deltas")]
    private partial void LogFinished(Guid requestId, FinishReason finishReason, int promptTokens, int completionTokens, long deltas);
}
