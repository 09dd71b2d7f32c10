using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.ServiceDefaults.Telemetry;

namespace InferenceCluster.Gateway.Tests;

/// <summary>The definitions behind the stability signals: repetition rate, log-probability margin, temperature band.</summary>
public sealed class StabilitySignalsTests
{
    [Fact]
    public void RepetitionRate_NoFourWordsRepeat_IsZero()
    {
        Assert.Equal(0, RepetitionRate.Of("one two three four five six seven eight"));
    }

    [Fact]
    public void RepetitionRate_APhraseLoopingForever_ApproachesOne()
    {
        var loop = string.Join(' ', Enumerable.Repeat("the sky is blue", 50));

        Assert.InRange(RepetitionRate.Of(loop)!.Value, 0.97, 1.0);
    }

    [Fact]
    public void RepetitionRate_CountsRepeatedFourGramsOverAll()
    {
        // 4-grams: "a b c d", "b c d a", "c d a b", "d a b c", "a b c d" (again): 1 of 5 repeats.
        Assert.Equal(0.2, RepetitionRate.Of("A b, c d a b c d")!.Value, 10);
    }

    [Fact]
    public void RepetitionRate_TooShortForTwoFourGrams_IsNull()
    {
        Assert.Null(RepetitionRate.Of("<think> just four words here"));
    }

    [Fact]
    public void MeanMargin_AveragesTopTwoGapOverPositionsWithTwoAlternatives()
    {
        var logprobs = new List<TokenLogprob>
        {
            new("a", -0.1, [new("b", -2.1), new("a", -0.1), new("c", -3.0)]),
            new("x", -0.5, [new("x", -0.5), new("y", -1.5)]),
            new("z", -0.2, [new("z", -0.2)]),
        };

        Assert.Equal(1.5, StabilitySignals.MeanMargin(logprobs)!.Value, 10);
    }

    [Fact]
    public void MeanMargin_NoAlternatives_IsNull()
    {
        Assert.Null(StabilitySignals.MeanMargin([new TokenLogprob("a", -0.1, [])]));
        Assert.Null(StabilitySignals.MeanMargin(null));
    }

    [Theory]
    [InlineData(false, 0.9, "greedy")]
    [InlineData(true, 0.0, "greedy")]
    [InlineData(true, 0.3, "0-0.4")]
    [InlineData(true, 0.4, "0.4-0.7")]
    [InlineData(true, 0.7, "0.7-1.0")]
    [InlineData(true, 1.0, "1.0+")]
    public void TemperatureBand_Of_PutsEdgesInTheUpperBand(bool doSample, double temperature, string band)
    {
        Assert.Equal(band, TemperatureBand.Of(doSample, temperature));
    }
}
