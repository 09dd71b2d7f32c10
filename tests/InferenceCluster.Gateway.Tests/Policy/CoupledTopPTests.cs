using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

public sealed class CoupledTopPTests
{
    [Theory]
    [InlineData(0.40, 0.80)]
    [InlineData(0.425, 0.825)]
    [InlineData(0.45, 0.85)]
    [InlineData(0.50, 0.90)]
    [InlineData(0.53, 0.93)]
    [InlineData(0.55, 0.95)]
    [InlineData(0.60, 0.95)]
    [InlineData(0.625, 0.97)]
    [InlineData(0.65, 0.99)]
    public void CoupledTopP_TemperatureInTunedBand_InterpolatesLinearly(double temperature, double topP)
    {
        Assert.Equal(topP, GenerationPolicy.CoupledTopP(temperature, []) ?? double.NaN, 6);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.39)]
    [InlineData(0.47)]
    [InlineData(0.58)]
    [InlineData(0.66)]
    [InlineData(1.5)]
    public void CoupledTopP_TemperatureOutsideBands_Null(double temperature)
    {
        Assert.Null(GenerationPolicy.CoupledTopP(temperature, []));
    }

    [Fact]
    public void CoupledTopP_ConfiguredBands_ReplaceTunedOnes()
    {
        CoupledTopPBand[] bands = [new() { TemperatureMin = 1.0, TemperatureMax = 1.2, TopPMin = 0.5, TopPMax = 0.7 }];

        Assert.Equal(0.6, GenerationPolicy.CoupledTopP(1.1, bands) ?? double.NaN, 6);
        Assert.Null(GenerationPolicy.CoupledTopP(0.5, bands));
    }
}
