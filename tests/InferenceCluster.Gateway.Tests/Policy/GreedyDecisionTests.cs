using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>Greedy versus sampled is decided once, after the key's policy, and the coupled top_p follows the final temperature.</summary>
public sealed class GreedyDecisionTests
{
    private static readonly SamplingSettings GreedyServer = new() { DoSample = false };

    private static GenerationConfig Resolve(SamplingSettings requested, SamplingSettings defaults, KeyPolicy? policy) =>
        GenerationPolicy.Resolve(requested, defaults, profileName: null, profile: null, new CoupledTopPOptions(), policy).Config;

    private static KeyPolicy Pin(double temperature) => new() { Pins = { ["temperature"] = temperature } };

    [Fact]
    public void Resolve_PinnedTemperatureZero_IsGreedy()
    {
        var config = Resolve(new SamplingSettings { Temperature = 0.55 }, ServerDefaults.BuiltIn, Pin(0));

        Assert.False(config.DoSample);
        Assert.Equal(0, config.Temperature);
    }

    [Fact]
    public void Resolve_GreedyServerAndKeyRangeClampingTheDefaultTemperature_StaysGreedy()
    {
        var policy = new KeyPolicy { Ranges = { ["temperature"] = new ParameterRange { Max = 0.3 } } };

        var config = Resolve(new SamplingSettings(), GreedyServer, policy);

        Assert.Equal(0.3, config.Temperature);
        Assert.False(config.DoSample);
        Assert.True(config.IsDeterministic);
    }

    [Fact]
    public void Resolve_GreedyServerAndPinnedTemperature_SamplesWhetherOrNotThePinEqualsTheDefault()
    {
        // One test for both pins: each alone could pass while the two disagree, which is the fault to catch.
        var pinEqualToDefault = Resolve(new SamplingSettings(), GreedyServer, Pin(0.55));
        var otherPin = Resolve(new SamplingSettings(), GreedyServer, Pin(0.5));

        Assert.Equal((0.55, true), (pinEqualToDefault.Temperature, pinEqualToDefault.DoSample));
        Assert.Equal((0.5, true), (otherPin.Temperature, otherPin.DoSample));
    }

    [Fact]
    public void Resolve_ClientTemperatureReplacedByPin_TopPCoupledToThePinnedTemperature()
    {
        // 0.9 lies in no band; the pinned 0.5 goes with top_p 0.90, not with the default 0.95.
        var config = Resolve(new SamplingSettings { Temperature = 0.9 }, ServerDefaults.BuiltIn, Pin(0.5));

        Assert.Equal(0.5, config.Temperature);
        Assert.Equal(0.90, config.TopP, 6);
    }

    [Fact]
    public void Resolve_TopKOne_IsGreedy()
    {
        var config = Resolve(new SamplingSettings { Temperature = 0.7, TopK = 1, Seed = 3 }, ServerDefaults.BuiltIn, null);

        Assert.False(config.DoSample);
    }
}
