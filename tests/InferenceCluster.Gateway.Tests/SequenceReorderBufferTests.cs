using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Tests;

public sealed class SequenceReorderBufferTests
{
    [Fact]
    public void Add_InOrder_ReleasesEachAtOnce()
    {
        var buffer = new SequenceReorderBuffer<string>();

        Assert.Equal(["a"], buffer.Add(0, "a"));
        Assert.Equal(["b"], buffer.Add(1, "b"));
        Assert.Equal(2, buffer.Next);
    }

    [Fact]
    public void Add_OutOfOrder_HoldsUntilGapCloses()
    {
        var buffer = new SequenceReorderBuffer<string>();

        Assert.Empty(buffer.Add(2, "c"));
        Assert.Empty(buffer.Add(1, "b"));
        Assert.Equal(2, buffer.Waiting);
        Assert.Equal(["a", "b", "c"], buffer.Add(0, "a"));
        Assert.Equal(0, buffer.Waiting);
    }

    [Fact]
    public void Add_Duplicates_AreDropped()
    {
        var buffer = new SequenceReorderBuffer<string>();

        buffer.Add(0, "a");
        Assert.Empty(buffer.Add(0, "a again"));
        Assert.Empty(buffer.Add(2, "c"));
        Assert.Empty(buffer.Add(2, "c again"));
        Assert.Equal(["b", "c"], buffer.Add(1, "b"));
    }

    [Fact]
    public async Task PendingCompletion_Deliver_ReordersDedupesAndEndsAfterTerminal()
    {
        var pending = new PendingCompletion(Guid.NewGuid());
        var delta = (long sequence, string text) => ReplyEvent.Of(new Contracts.CompletionDelta { RequestId = pending.RequestId, Sequence = sequence, Text = text, TokenCount = 1 });
        var finished = ReplyEvent.Of(new Contracts.CompletionFinished
        {
            RequestId = pending.RequestId, Sequence = 2, FinishReason = Contracts.FinishReason.Stop,
            Usage = new(1, 2, 0), Timings = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), WorkerId = "w", ModelRevision = "r",
        });

        pending.Deliver(1, delta(1, "b"));
        pending.Deliver(2, finished);
        Assert.False(pending.IsCompleted);
        pending.Deliver(0, delta(0, "a"));
        pending.Deliver(0, delta(0, "a"));
        Assert.True(pending.IsCompleted);

        var received = new List<ReplyEvent>();
        await foreach (var reply in pending.Reader.ReadAllAsync())
        {
            received.Add(reply);
        }

        Assert.Equal(3, received.Count);
        Assert.Equal("a", received[0].Delta!.Text);
        Assert.Equal("b", received[1].Delta!.Text);
        Assert.NotNull(received[2].Finished);
    }
}
