using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>Server defaults &lt; profile &lt; request; coupled top_p only fills a top_p the request left unset.</summary>
public sealed class GenerationPolicyPrecedenceTests
{
    private static readonly SamplingSettings Defaults = ServerDefaults.BuiltIn;
    private static readonly SamplingSettings Creative = new() { Temperature = 0.60, TopP = 0.99, MaxTokens = 1024, RepetitionPenalty = 1.05 };
    private static readonly CoupledTopPOptions Coupled = new();

    private static (GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments) Resolve(SamplingSettings requested, SamplingSettings? profile = null, CoupledTopPOptions? coupled = null) =>
        GenerationPolicy.Resolve(requested, Defaults, profile is null ? null : "creative", profile, coupled ?? Coupled, policy: null);

    [Fact]
    public void Resolve_Profile_OverridesDefaultsAndListsEachValue()
    {
        var result = Resolve(new SamplingSettings(), Creative);

        Assert.Equal(0.60, result.Config.Temperature);
        Assert.Equal(0.99, result.Config.TopP);
        Assert.Equal(1024, result.Config.MaxTokens);
        Assert.Equal(1.05, result.Config.RepetitionPenalty);
        Assert.Equal(0, result.Config.TopK);
        Assert.Equal(
            ["temperature=0.6 (profile creative)", "top_p=0.99 (profile creative)", "max_tokens=1024 (profile creative)", "repetition_penalty=1.05 (profile creative)"],
            result.Adjustments.Select(a => a.ToString()));
    }

    [Fact]
    public void Resolve_RequestValues_WinOverProfile()
    {
        var result = Resolve(new SamplingSettings { Temperature = 1.2, TopP = 0.7, MaxTokens = 10, RepetitionPenalty = 1.1 }, Creative);

        Assert.Equal(1.2, result.Config.Temperature);
        Assert.Equal(0.7, result.Config.TopP);
        Assert.Equal(10, result.Config.MaxTokens);
        Assert.Equal(1.1, result.Config.RepetitionPenalty);
        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Resolve_TemperatureOnly_TopPCoupledEvenOverProfile()
    {
        // The profile's 0.99 was tuned for its own 0.60; a client temperature of 0.5 goes with 0.90.
        var result = Resolve(new SamplingSettings { Temperature = 0.5 }, Creative);

        Assert.Equal(0.90, result.Config.TopP);
        Assert.Contains(result.Adjustments, a => a.ToString() == "top_p=0.9 (coupled)");
    }

    [Fact]
    public void Resolve_TemperatureAndTopP_CoupledDoesNotTouchTopP()
    {
        var result = Resolve(new SamplingSettings { Temperature = 0.5, TopP = 0.3 });

        Assert.Equal(0.3, result.Config.TopP);
        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Resolve_NoClientTemperature_NoCoupling()
    {
        // A profile's or default temperature is already paired with its own top_p.
        var result = Resolve(new SamplingSettings());

        Assert.Equal(0.95, result.Config.TopP);
        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Resolve_CouplingDisabled_DefaultTopPStays()
    {
        var result = Resolve(new SamplingSettings { Temperature = 0.42 }, coupled: new CoupledTopPOptions { Enabled = false });

        Assert.Equal(0.95, result.Config.TopP);
        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Resolve_TemperatureOutsideBands_DefaultTopPStays()
    {
        var result = Resolve(new SamplingSettings { Temperature = 0.9 });

        Assert.Equal(0.95, result.Config.TopP);
        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Resolve_ProfileOnGreedyServer_Samples()
    {
        var result = GenerationPolicy.Resolve(new SamplingSettings(), new SamplingSettings { DoSample = false }, "creative", Creative, Coupled, policy: null);

        Assert.True(result.Config.DoSample);
    }

    [Fact]
    public void Resolve_MinTokensAboveProfileMax_Rejected()
    {
        var error = Assert.Throws<OpenAIException>(() => Resolve(new SamplingSettings { MinTokens = 2000 }, Creative));

        Assert.Equal("min_tokens", error.Param);
    }
}
