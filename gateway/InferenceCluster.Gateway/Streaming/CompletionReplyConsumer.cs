using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// Consumes the workers' replies on this instance's temporary reply endpoint and hands each to the
/// waiting request. Replies for requests nobody waits for (client gone, deadline passed) are dropped. Commands are sent
/// with this endpoint as their fault address, so a worker's consumer that fails on one (the transport then moves it to
/// the error queue and nothing runs it any more) says so here, and the request fails now instead of at its deadline.
/// </summary>
[ExcludeFromConfigureEndpoints]
internal sealed partial class CompletionReplyConsumer(PendingCompletions pending, ILogger<CompletionReplyConsumer> logger)
    : IConsumer<CompletionDelta>, IConsumer<CompletionFinished>, IConsumer<CompletionFailed>, IConsumer<Fault<GenerateCompletion>>
{
    public Task Consume(ConsumeContext<CompletionDelta> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Route(context.Message.RequestId, ReplyEvent.Of(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<CompletionFinished> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var finished = context.Message;
        if (finished.Tokens is { Count: > 0 } tail && ReplyEvent.Of(finished).Malformation is null)
        {
            // A stream's last tokens ride on its final message; passed on as a delta of their own, they take the
            // same way through token positions (and a replacement run's check) as every other token.
            Route(finished.RequestId, ReplyEvent.Of(new CompletionDelta
            {
                RequestId = finished.RequestId,
                Position = finished.Position - tail.Count,
                Tokens = tail,
                Logprobs = finished.Logprobs,
            }));
            finished = finished with { Tokens = null, Logprobs = null };
        }

        Route(finished.RequestId, ReplyEvent.Of(finished));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<CompletionFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Route(context.Message.RequestId, ReplyEvent.Of(context.Message));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<GenerateCompletion>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requestId = context.Message.Message.RequestId;
        var exception = context.Message.Exceptions.FirstOrDefault();
        // A worker's error may name the broker with its user (a reply it could not send).
        var reason = exception?.Message is { } said ? BrokerAddress.RedactText(said) : null;
        LogWorkerFault(requestId, context.Message.Host?.MachineName, exception?.ExceptionType, reason);
        if (!pending.TryAbandon(requestId))
        {
            LogOrphanReply(requestId, 0);
        }

        return Task.CompletedTask;
    }

    private void Route(Guid requestId, ReplyEvent reply)
    {
        if (reply.Malformation is { } fault)
        {
            LogMalformedReply(requestId, fault);
        }

        if (!pending.TryDeliver(requestId, reply))
        {
            LogOrphanReply(requestId, reply.Position);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} fails: a worker sent {Fault}")]
    private partial void LogMalformedReply(Guid requestId, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} fails: a worker on {Host} gave it up without an answer ({ExceptionType}: {Reason})")]
    private partial void LogWorkerFault(Guid requestId, string? host, string? exceptionType, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped reply at token {Position} of request {RequestId}: nobody waits for it any more")]
    private partial void LogOrphanReply(Guid requestId, int position);
}
