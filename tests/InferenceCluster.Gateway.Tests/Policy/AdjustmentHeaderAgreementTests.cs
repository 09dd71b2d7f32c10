using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// What <c>X-Inference-Adjustments</c> reports is what <c>X-Inference-Config</c> shows: a key's pin or range on a token
/// limit reports the value applied (a floor never above max_tokens), and a floor lowered with max_tokens is reported too.
/// </summary>
public sealed class AdjustmentHeaderAgreementTests
{
    private static readonly SamplingSettings LongAnswers = new() { MinTokens = 50 };

    [Fact]
    public void Resolve_RangeOnMinTokensAboveAFloorLoweredToMaxTokens_ReportsTheFloorApplied()
    {
        var policy = new KeyPolicy { Ranges = { ["min_tokens"] = new ParameterRange { Min = 20 } } };

        var (config, adjustments) = Resolve(new SamplingSettings { MaxTokens = 10 }, LongAnswers, policy);

        Assert.Equal(10, config.MinTokens);
        Assert.Equal(["min_tokens=50 (profile long)", "min_tokens=10 (max_tokens)"], adjustments.Select(a => a.ToString()));
    }

    [Fact]
    public void Resolve_PinnedMinTokensAboveMaxTokens_ReportsTheFloorApplied()
    {
        var policy = new KeyPolicy { Pins = { ["min_tokens"] = 30 } };

        var (config, adjustments) = Resolve(new SamplingSettings { MaxTokens = 10, MinTokens = 2 }, profile: null, policy);

        Assert.Equal(10, config.MinTokens);
        Assert.Equal(["min_tokens=10 (pinned)"], adjustments.Select(a => a.ToString()));
    }

    [Theory]
    [InlineData("pinned")]
    [InlineData("range")]
    public void Resolve_KeyLowersMaxTokensBelowTheFloor_ReportsTheFloorLoweredWithIt(string how)
    {
        var policy = how == "pinned"
            ? new KeyPolicy { Pins = { ["max_tokens"] = 40 } }
            : new KeyPolicy { Ranges = { ["max_tokens"] = new ParameterRange { Max = 40 } } };

        var (config, adjustments) = Resolve(new SamplingSettings(), LongAnswers, policy);

        Assert.Equal((40, 40), (config.MaxTokens, config.MinTokens));
        Assert.Equal(["min_tokens=50 (profile long)", $"max_tokens=40 ({how})", "min_tokens=40 (max_tokens)"], adjustments.Select(a => a.ToString()));
    }

    [Fact]
    public void Resolve_KeyPinRaisesMaxTokensAboveTheFloor_KeepsTheFloorAndReportsNoLowering()
    {
        var policy = new KeyPolicy { Pins = { ["max_tokens"] = 100 } };

        var (config, adjustments) = Resolve(new SamplingSettings { MaxTokens = 10 }, LongAnswers, policy);

        Assert.Equal((100, 50), (config.MaxTokens, config.MinTokens));
        Assert.Equal(["min_tokens=50 (profile long)", "max_tokens=100 (pinned)"], adjustments.Select(a => a.ToString()));
        AssertLastOfEachNamesTheConfig(config, adjustments);
    }

    [Fact]
    public void Resolve_KeyRangeRaisesTheDefaultMaxTokensAboveTheFloor_KeepsTheFloorAndReportsNoLowering()
    {
        var policy = new KeyPolicy { Ranges = { ["max_tokens"] = new ParameterRange { Min = 100 } } };

        var (config, adjustments) = Resolve(new SamplingSettings(), LongAnswers, policy, ServerDefaults.BuiltIn with { MaxTokens = 10 });

        Assert.Equal((100, 50), (config.MaxTokens, config.MinTokens));
        Assert.Equal(["min_tokens=50 (profile long)", "max_tokens=100 (range)"], adjustments.Select(a => a.ToString()));
        AssertLastOfEachNamesTheConfig(config, adjustments);
    }

    [Fact]
    public void Resolve_RangeOnMinTokensAboveMaxTokens_ReportsTheFloorApplied()
    {
        var policy = new KeyPolicy { Ranges = { ["min_tokens"] = new ParameterRange { Min = 20 } } };

        var (config, adjustments) = Resolve(new SamplingSettings { MaxTokens = 10 }, profile: null, policy);

        Assert.Equal(10, config.MinTokens);
        Assert.Equal(["min_tokens=10 (range)"], adjustments.Select(a => a.ToString()));
    }

    [Fact]
    public void Resolve_RangeOnMinTokensUnderAMaxTokensAPinRaises_ReportsTheFloorApplied()
    {
        var policy = new KeyPolicy { Pins = { ["max_tokens"] = 100 }, Ranges = { ["min_tokens"] = new ParameterRange { Min = 20 } } };

        var (config, adjustments) = Resolve(new SamplingSettings { MaxTokens = 10 }, profile: null, policy);

        Assert.Equal((100, 20), (config.MaxTokens, config.MinTokens));
        Assert.Equal(["max_tokens=100 (pinned)", "min_tokens=20 (range)"], adjustments.Select(a => a.ToString()));
    }

    // The header lists changes in the order applied: a parameter's last entry is the value X-Inference-Config shows.
    private static void AssertLastOfEachNamesTheConfig(GenerationConfig config, IReadOnlyList<PolicyAdjustment> adjustments)
    {
        Assert.Equal(config.MaxTokens, adjustments.Last(a => a.Param == "max_tokens").Value);
        Assert.Equal(config.MinTokens, adjustments.Last(a => a.Param == "min_tokens").Value);
    }

    private static (GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments) Resolve(
        SamplingSettings requested, SamplingSettings? profile, KeyPolicy policy, SamplingSettings? defaults = null) =>
        GenerationPolicy.Resolve(requested, defaults ?? ServerDefaults.BuiltIn, profile is null ? null : "long", profile, coupled: null, policy);
}
