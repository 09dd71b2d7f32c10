using InferenceCluster.Inference.Text;

namespace InferenceCluster.Inference.Tests;

/// <summary>Hold-back of text that may become a stop string.</summary>
public sealed class StopTextBufferTests
{
    [Fact]
    public void Add_TextThatMayStartStop_IsHeldUntilDecided()
    {
        var buffer = new StopTextBuffer<int>(["END"]);

        Assert.Equal([(1, "ab")], buffer.Add(1, "ab").Released);
        Assert.Empty(buffer.Add(2, "E").Released);
        var (released, stopped) = buffer.Add(3, "x");

        Assert.False(stopped);
        Assert.Equal([(2, "E"), (3, "x")], released);
    }

    [Fact]
    public void Add_StopSpanningTokens_ReleasesOnlyTextBeforeIt()
    {
        var buffer = new StopTextBuffer<int>(["END", "zz"]);
        buffer.Add(1, "hello E");

        var (released, stopped) = buffer.Add(2, "ND tail");

        Assert.True(stopped);
        Assert.Equal([(1, "hello ")], released);
    }

    [Fact]
    public void Flush_AtNaturalEnd_ReleasesHeldText()
    {
        var buffer = new StopTextBuffer<int>(["END"]);
        buffer.Add(1, "EN");

        Assert.Equal([(1, "EN")], buffer.Flush());
    }

    [Fact]
    public void Add_NoStops_ReleasesImmediately()
    {
        var buffer = new StopTextBuffer<int>([]);

        Assert.Equal([(5, "E")], buffer.Add(5, "E").Released);
    }
}
