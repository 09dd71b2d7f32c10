using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

public sealed class GenerationPolicyMergeTests
{
    private static readonly SamplingSettings Defaults = ServerDefaults.BuiltIn;

    // The merge with neither profile, coupled top_p nor key policy: the request over the server's defaults.
    private static GenerationConfig Resolve(SamplingSettings requested, SamplingSettings defaults) =>
        GenerationPolicy.Resolve(requested, defaults, profileName: null, profile: null, coupled: null, policy: null).Config;

    [Fact]
    public void Resolve_NothingRequested_UsesServerDefaults()
    {
        var config = Resolve(new SamplingSettings(), Defaults);

        Assert.True(config.DoSample);
        Assert.Equal(0.55, config.Temperature);
        Assert.Equal(0.95, config.TopP);
        Assert.Equal(1024, config.MaxTokens);
        Assert.Equal(1.02, config.RepetitionPenalty);
        Assert.Null(config.Seed);
        Assert.Empty(config.Stop);
        Assert.False(config.IsDeterministic);
    }

    [Fact]
    public void Resolve_RequestValues_WinOverDefaults()
    {
        var requested = new SamplingSettings
        {
            Temperature = 1.3, TopP = 0.5, TopK = 20, MaxTokens = 12, MinTokens = 3, RepetitionPenalty = 1.2,
            Seed = 7,
        };

        var config = Resolve(requested, Defaults);

        Assert.True(config.DoSample);
        Assert.Equal(1.3, config.Temperature);
        Assert.Equal(0.5, config.TopP);
        Assert.Equal(20, config.TopK);
        Assert.Equal(12, config.MaxTokens);
        Assert.Equal(3, config.MinTokens);
        Assert.Equal(1.2, config.RepetitionPenalty);
        Assert.Equal(7, config.Seed);
        Assert.True(config.IsDeterministic);
    }

    [Fact]
    public void Resolve_TemperatureZero_IsGreedyAndDeterministic()
    {
        var config = Resolve(new SamplingSettings { Temperature = 0 }, Defaults);

        Assert.False(config.DoSample);
        Assert.True(config.IsDeterministic);
    }

    [Fact]
    public void Resolve_ServerDefaultGreedy_RequestTemperatureStillSamples()
    {
        var greedyServer = new SamplingSettings { DoSample = false };

        Assert.False(Resolve(new SamplingSettings(), greedyServer).DoSample);
        Assert.True(Resolve(new SamplingSettings { Temperature = 0.8 }, greedyServer).DoSample);
    }

    [Fact]
    public void Resolve_MinTokensAboveDefaultMax_Rejected()
    {
        var error = Assert.Throws<OpenAIException>(() =>
            Resolve(new SamplingSettings { MinTokens = 5000 }, Defaults));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("min_tokens", error.Param);
    }

    [Fact]
    public void Resolve_TwoRequests_DoNotInfluenceEachOther()
    {
        var hot = Resolve(new SamplingSettings { Temperature = 1.9 }, Defaults);
        var plain = Resolve(new SamplingSettings(), Defaults);

        Assert.Equal(1.9, hot.Temperature);
        Assert.Equal(0.55, plain.Temperature);
        Assert.Equal(0.55, Defaults.Temperature);
    }
}
