using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Replies a worker should never send end the request with a failure instead of throwing.</summary>
public sealed class PendingCompletionTests
{
    private static readonly Guid Request = Guid.NewGuid();

    public static TheoryData<string, string> MalformedReplies => new()
    {
        { "negative position", "a reply at token position -1" },
        { "no tokens", "a delta without tokens" },
        { "final before its tokens", "a final message ending at token position 1 that carries 3 tokens" },
    };

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void Deliver_MalformedReply_FailsTheRequestAndLeavesTheWorkerToBeStopped(string kind, string fault)
    {
        var pending = new PendingCompletion(Request);
        pending.Deliver(ReplyEvent.Of(new CompletionDelta { RequestId = Request, Position = 0, Tokens = ["ok"] }));

        pending.Deliver(kind switch
        {
            "negative position" => ReplyEvent.Of(new CompletionDelta { RequestId = Request, Position = -1, Tokens = ["x"] }),
            "no tokens" => ReplyEvent.Of(new CompletionDelta { RequestId = Request, Position = 1, Tokens = null! }),
            _ => ReplyEvent.Of(Finished(1) with { Tokens = ["a", "b", "c"] }),
        });

        Assert.True(pending.IsCompleted);
        Assert.True(pending.WorkerMayRun);
        Assert.True(pending.Reader.TryRead(out var first));
        Assert.Equal(["ok"], first.Delta!.Tokens);
        Assert.True(pending.Reader.TryRead(out var last));
        Assert.Equal(FailureCodes.EngineError, last.Failed!.Code);
        Assert.Equal($"A worker sent {fault}; the answer cannot be put together.", last.Failed.Message);
        Assert.False(pending.Reader.TryRead(out _));
    }

    [Fact]
    public void Deliver_FinalCarryingItsLastTokens_IsWellFormed()
    {
        Assert.Null(ReplyEvent.Of(Finished(3) with { Tokens = ["a", "b", "c"] }).Malformation);
    }

    private static CompletionFinished Finished(int position) => new()
    {
        RequestId = Request,
        Position = position,
        FinishReason = FinishReason.Stop,
        Usage = new CompletionUsage(1, position, 0),
        Timings = new CompletionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        WorkerId = "worker-1",
        ModelRevision = "rev-1",
    };
}
