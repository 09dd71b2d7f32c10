using InferenceCluster.Sweep.Grid;

namespace InferenceCluster.Sweep.Tests.Grid;

public sealed class GridAxisTests
{
    [Fact]
    public void ParseDoubles_FloatRange_IncludesStopAndHasNoFloatNoise()
    {
        var values = GridAxis.ParseDoubles("--temperature", "0.30:0.90:0.05", 0, 2);
        Assert.Equal(13, values.Count);
        Assert.Equal(0.30, values[0]);
        Assert.Equal(0.35, values[1]);
        Assert.Equal(0.90, values[^1]);
        Assert.All(values, v => Assert.Equal(Math.Round(v, 2), v));
    }

    [Fact]
    public void ParseDoubles_RangeNotHittingStop_StopsBelow()
    {
        Assert.Equal([0.1, 0.4], GridAxis.ParseDoubles("--temperature", "0.1:0.5:0.3", 0, 2));
    }

    [Fact]
    public void ParseDoubles_List_KeepsOrder()
    {
        Assert.Equal([0.95, 0.85], GridAxis.ParseDoubles("--top-p", "0.95, 0.85", 0, 1));
    }

    [Fact]
    public void ParseInts_ListAndRange_Expand()
    {
        Assert.Equal([512, 1024], GridAxis.ParseInts("--max-tokens", "512,1024", 1, 100_000));
        Assert.Equal([256, 512, 768], GridAxis.ParseInts("--max-tokens", "256:768:256", 1, 100_000));
    }

    [Theory]
    [InlineData("0.3:0.9", "start:stop:step")]
    [InlineData("0.3:0.9:0", "positive")]
    [InlineData("0.9:0.3:0.1", "below start")]
    [InlineData("0.3,,0.5", "empty value")]
    [InlineData("0.3,abc", "'abc' is not a number")]
    [InlineData("0.3,2.5", "outside")]
    [InlineData("0.3,0.3", "twice")]
    [InlineData("0.3,0.30001", "twice")]
    public void ParseDoubles_BadSyntax_ThrowsNamingTheOption(string text, string message)
    {
        var e = Assert.Throws<GridSyntaxException>(() => GridAxis.ParseDoubles("--temperature", text, 0, 2));
        Assert.Equal("--temperature", e.Option);
        Assert.StartsWith("--temperature: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ParseInts_Fraction_Throws()
    {
        var e = Assert.Throws<GridSyntaxException>(() => GridAxis.ParseInts("--max-tokens", "512.5", 1, 100_000));
        Assert.Contains("whole number", e.Message);
    }
}
