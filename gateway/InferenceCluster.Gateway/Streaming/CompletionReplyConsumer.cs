using InferenceCluster.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// Consumes the workers' replies on this instance's temporary reply endpoint and hands each to the
/// waiting request. Replies for requests nobody waits for (client gone, deadline passed) are dropped.
/// </summary>
[ExcludeFromConfigureEndpoints]
internal sealed partial class CompletionReplyConsumer(PendingCompletions pending, ILogger<CompletionReplyConsumer> logger)
    : IConsumer<CompletionDelta>, IConsumer<CompletionFinished>, IConsumer<CompletionFailed>
{
    public Task Consume(ConsumeContext<CompletionDelta> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var delta = context.Message;
        Route(delta.RequestId, delta.Position < 0
            ? Malformed(delta.RequestId, workerId: "unknown", $"a delta at token position {delta.Position}")
            : ReplyEvent.Of(delta));
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<CompletionFinished> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var finished = context.Message;
        if (finished.Tokens is { Count: > 0 } tail)
        {
            if (tail.Count > finished.Position)
            {
                Route(finished.RequestId, Malformed(finished.RequestId, finished.WorkerId,
                    $"a final message ending at token position {finished.Position} that carries {tail.Count} tokens"));
                return Task.CompletedTask;
            }

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

    private void Route(Guid requestId, ReplyEvent reply)
    {
        if (!pending.TryDeliver(requestId, reply))
        {
            LogOrphanReply(requestId, reply.Position);
        }
    }

    /// <summary>
    /// A reply whose positions cannot be placed would make the buffer throw, and a consumer that throws is retried
    /// until the client's deadline: the request fails at once instead, with what was wrong.
    /// </summary>
    private ReplyEvent Malformed(Guid requestId, string workerId, string what)
    {
        LogMalformedReply(requestId, workerId, what);
        return ReplyEvent.Of(new CompletionFailed
        {
            RequestId = requestId,
            Position = 0,
            Code = FailureCodes.EngineError,
            Message = $"Worker {workerId} sent {what}; the answer cannot be put together.",
            Retryable = false,
            WorkerId = workerId,
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} failed: worker {WorkerId} sent {What}")]
    private partial void LogMalformedReply(Guid requestId, string workerId, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped reply at token {Position} of request {RequestId}: nobody waits for it any more")]
    private partial void LogOrphanReply(Guid requestId, int position);
}
