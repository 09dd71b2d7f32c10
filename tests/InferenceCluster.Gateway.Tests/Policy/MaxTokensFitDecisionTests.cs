using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// Whether the worker may fit max_tokens to the context is decided once, in the merge: yes for a value the client never
/// sent (a profile's, a default, a key's pin, ranged or capped), no for the client's own (even when a key's cap lowered it).
/// </summary>
public sealed class MaxTokensFitDecisionTests
{
    private static readonly SamplingSettings MathProfile = new() { MaxTokens = 2048 };

    private static GenerationConfig Resolve(SamplingSettings requested, SamplingSettings? profile = null, KeyPolicy? policy = null) =>
        GenerationPolicy.Resolve(requested, ServerDefaults.BuiltIn, profile is null ? null : "math", profile, coupled: null, policy).Config;

    [Fact]
    public void Resolve_NoMaxTokensSent_DefaultIsFitted()
    {
        var config = Resolve(new SamplingSettings());

        Assert.Equal(1024, config.MaxTokens);
        Assert.True(config.FitMaxTokensToContext);
    }

    [Fact]
    public void Resolve_NoMaxTokensSent_ProfileValueIsFitted()
    {
        var config = Resolve(new SamplingSettings { Temperature = 0 }, MathProfile);

        Assert.Equal(2048, config.MaxTokens);
        Assert.True(config.FitMaxTokensToContext);
    }

    [Theory]
    [InlineData(2048)]
    [InlineData(16)]
    public void Resolve_ClientMaxTokens_NotFittedWhateverTheProfileSays(int sent)
    {
        var config = Resolve(new SamplingSettings { MaxTokens = sent }, MathProfile);

        Assert.Equal(sent, config.MaxTokens);
        Assert.False(config.FitMaxTokensToContext);
    }

    [Fact]
    public void Resolve_ClientMaxTokensCappedByTheKey_StillTheClientsAndNotFitted()
    {
        var config = Resolve(new SamplingSettings { MaxTokens = 4000 }, policy: new KeyPolicy { MaxTokensCap = 512 });

        Assert.Equal(512, config.MaxTokens);
        Assert.False(config.FitMaxTokensToContext);
    }

    [Fact]
    public void Resolve_DefaultClampedByTheKeysRange_StillFitted()
    {
        var policy = new KeyPolicy { Ranges = { ["max_tokens"] = new ParameterRange { Min = 3000 } } };

        var config = Resolve(new SamplingSettings(), policy: policy);

        Assert.Equal(3000, config.MaxTokens);
        Assert.True(config.FitMaxTokensToContext);
    }

    [Fact]
    public void Resolve_PinnedMaxTokens_FittedEvenWhenTheClientSentOne()
    {
        // The pin replaced the client's value: a 400 naming max_tokens would blame the client for the server's number.
        var config = Resolve(new SamplingSettings { MaxTokens = 16 }, policy: new KeyPolicy { Pins = { ["max_tokens"] = 4096 } });

        Assert.Equal(4096, config.MaxTokens);
        Assert.True(config.FitMaxTokensToContext);
    }

    [Fact]
    public void Resolve_PinEqualToTheClientsMaxTokens_StaysTheClientsAndStrict()
    {
        // Nothing was replaced (no adjustment is reported), so the value is the client's: the worker must not lower it.
        var (config, adjustments) = GenerationPolicy.Resolve(
            new SamplingSettings { MaxTokens = 4096 }, ServerDefaults.BuiltIn, null, null, coupled: null,
            new KeyPolicy { Pins = { ["max_tokens"] = 4096 } });

        Assert.Equal(4096, config.MaxTokens);
        Assert.DoesNotContain(adjustments, a => a.Param == "max_tokens");
        Assert.False(config.FitMaxTokensToContext);
    }
}
