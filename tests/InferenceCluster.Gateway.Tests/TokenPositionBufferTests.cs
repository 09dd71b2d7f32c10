using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Tests;

public sealed class TokenPositionBufferTests
{
    private static readonly Guid Request = Guid.NewGuid();

    [Fact]
    public void Add_DeltasOutOfOrderAndTwice_ReleasesEachTokenOnceInOrder()
    {
        var buffer = new TokenPositionBuffer();

        Assert.Empty(buffer.Add(Delta(2, "cd")).Ready);
        Assert.Equal(["ab", "cd"], Texts(buffer.Add(Delta(0, "ab"))));
        Assert.Empty(buffer.Add(Delta(0, "ab")).Ready);
        Assert.Equal(4, buffer.Next);
    }

    [Fact]
    public void Add_SecondRunGroupedDifferently_ReleasesOnlyTheNewTokens()
    {
        var buffer = new TokenPositionBuffer();
        buffer.Add(Delta(0, "abc"));
        buffer.Add(Delta(3, "de"));

        // The replacement run starts over at 0 and groups by four: "abcd" is known, "efgh" half new.
        Assert.Empty(buffer.Add(Delta(0, "abcd")).Ready);
        Assert.Equal(["fgh"], Texts(buffer.Add(Delta(4, "efgh"))));
        Assert.True(buffer.Replayed);
        var end = buffer.Add(Finished(8));
        Assert.True(Assert.Single(end.Ready).IsTerminal);
    }

    [Fact]
    public void Add_FinishedBeforeItsTokens_WaitsForThem()
    {
        var buffer = new TokenPositionBuffer();

        Assert.Empty(buffer.Add(Finished(2)).Ready);
        var ready = buffer.Add(Delta(0, "ab")).Ready;

        Assert.Equal(2, ready.Count);
        Assert.True(ready[1].IsTerminal);
    }

    [Fact]
    public void Add_SecondRunWithOtherTokens_IsADivergence()
    {
        var buffer = new TokenPositionBuffer();
        buffer.Add(Delta(0, "abc"));

        var result = buffer.Add(Delta(0, "abX"));

        Assert.True(result.Diverged);
        Assert.Empty(result.Ready);
    }

    [Fact]
    public void Add_SecondRunEndsBeforeTheTokensSent_IsADivergence()
    {
        var buffer = new TokenPositionBuffer();
        buffer.Add(Delta(0, "abc"));

        Assert.True(buffer.Add(Finished(2)).Diverged);
    }

    [Fact]
    public void Add_TrimmedDelta_KeepsTheLogprobsOfItsNewTokens()
    {
        var buffer = new TokenPositionBuffer();
        buffer.Add(Delta(0, "a"));
        var logprobs = new[] { new TokenLogprob("a", -0.1, []), new TokenLogprob("b", -0.2, []) };

        var delta = Assert.Single(buffer.Add(ReplyEvent.Of(new CompletionDelta { RequestId = Request, Position = 0, Tokens = ["a", "b"], Logprobs = logprobs })).Ready).Delta!;

        Assert.Equal(1, delta.Position);
        Assert.Equal("b", Assert.Single(delta.Logprobs!).Token);
    }

    private static ReplyEvent Delta(int position, string characters) =>
        ReplyEvent.Of(new CompletionDelta { RequestId = Request, Position = position, Tokens = [.. characters.Select(c => c.ToString())] });

    private static ReplyEvent Finished(int position) => ReplyEvent.Of(new CompletionFinished
    {
        RequestId = Request,
        Position = position,
        FinishReason = FinishReason.Stop,
        Usage = new CompletionUsage(1, position, 0),
        Timings = new CompletionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        WorkerId = "w",
        ModelRevision = "r",
    });

    private static string[] Texts(TokenPositionResult result) => [.. result.Ready.Select(reply => reply.Delta!.Text())];
}
