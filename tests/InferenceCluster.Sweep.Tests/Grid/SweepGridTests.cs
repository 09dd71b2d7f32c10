using InferenceCluster.Sweep.Grid;

namespace InferenceCluster.Sweep.Tests.Grid;

public sealed class SweepGridTests
{
    [Fact]
    public void Points_AllAxes_CartesianProductInStableOrder()
    {
        var grid = new SweepGrid { Temperatures = [0.3, 0.6], TopPs = [0.85, 0.95], MaxTokens = [512, 1024], RepetitionPenalties = [1.0, 1.05] };
        var points = grid.Points();
        Assert.Equal(16, points.Count);
        Assert.Equal(16, points.Select(p => p.Key).Distinct().Count());
        Assert.Equal(new GridPoint(0.3, 0.85, 512, 1.0, null), points[0]);
        Assert.Equal(new GridPoint(0.6, 0.95, 1024, 1.05, null), points[^1]);
    }

    [Fact]
    public void Key_FloatNoise_SameKey()
    {
        Assert.Equal(new GridPoint(0.1 + 0.2, 0.9, 1, 1, null).Key, new GridPoint(0.3, 0.9, 1, 1, null).Key);
    }

    [Fact]
    public void Points_TopKs_AddAnAxis()
    {
        var grid = new SweepGrid { Temperatures = [0.5], TopPs = [0.9], MaxTokens = [64], TopKs = [20, 40] };
        Assert.Equal([20, 40], grid.Points().Select(p => p.TopK!.Value));
    }
}
