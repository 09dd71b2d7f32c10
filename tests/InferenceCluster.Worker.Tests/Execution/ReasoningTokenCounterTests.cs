using InferenceCluster.Worker.Execution;

namespace InferenceCluster.Worker.Tests.Execution;

public sealed class ReasoningTokenCounterTests
{
    private static ReasoningTokenCounter Count(params string[] tokens)
    {
        var counter = new ReasoningTokenCounter();
        foreach (var token in tokens)
        {
            counter.Add(token);
        }

        return counter;
    }

    [Fact]
    public void Add_CloseTagInOneToken_CountsThroughIt()
    {
        var counter = Count("Let", " me", " think", "</think>", "\n\n", "Yes", ".");

        Assert.True(counter.Closed);
        Assert.Equal(4, counter.Count);
    }

    [Fact]
    public void Add_CloseTagSplitOverTokens_CountsThroughTheTokenThatCompletesIt()
    {
        var counter = Count("a", "</th", "ink", ">", "answer");

        Assert.True(counter.Closed);
        Assert.Equal(4, counter.Count);
    }

    [Fact]
    public void Add_NeverClosed_EveryTokenIsReasoning()
    {
        var counter = Count("still", " </thi", "nking", string.Empty);

        Assert.False(counter.Closed);
        Assert.Equal(4, counter.Count);
    }
}
