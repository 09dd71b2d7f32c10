using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// Whether the worker may lower min_tokens to what fits the context is decided once, in the merge: yes for a floor the
/// client never sent (a profile's, a default, a key's pin), no for the client's own (even when a key's cap lowered it).
/// </summary>
public sealed class MinTokensFitDecisionTests
{
    private static readonly SamplingSettings LongAnswers = new() { MaxTokens = 2048, MinTokens = 600 };

    private static GenerationConfig Resolve(SamplingSettings requested, SamplingSettings? profile = null, KeyPolicy? policy = null) =>
        GenerationPolicy.Resolve(requested, ServerDefaults.BuiltIn, profile is null ? null : "long", profile, coupled: null, policy).Config;

    [Fact]
    public void Resolve_NoMinTokensSent_ProfileFloorIsFitted()
    {
        var config = Resolve(new SamplingSettings(), LongAnswers);

        Assert.Equal(600, config.MinTokens);
        Assert.True(config.FitMinTokensToContext);
    }

    [Fact]
    public void Resolve_NoMinTokensSent_DefaultFloorIsFitted()
    {
        var defaults = ServerDefaults.BuiltIn with { MinTokens = 8 };

        var config = GenerationPolicy.Resolve(new SamplingSettings(), defaults, null, null, coupled: null, policy: null).Config;

        Assert.Equal(8, config.MinTokens);
        Assert.True(config.FitMinTokensToContext);
    }

    [Theory]
    [InlineData(600)]
    [InlineData(3)]
    [InlineData(0)]
    public void Resolve_ClientMinTokens_NotFittedWhateverTheProfileSays(int sent)
    {
        var config = Resolve(new SamplingSettings { MinTokens = sent }, LongAnswers);

        Assert.Equal(sent, config.MinTokens);
        Assert.False(config.FitMinTokensToContext);
    }

    [Fact]
    public void Resolve_ClientMinTokensCappedByTheKey_StillTheClientsAndNotFitted()
    {
        var config = Resolve(new SamplingSettings { MaxTokens = 900, MinTokens = 800 }, policy: new KeyPolicy { MaxTokensCap = 512 });

        Assert.Equal(512, config.MinTokens);
        Assert.False(config.FitMinTokensToContext);
    }

    [Fact]
    public void Resolve_PinnedMinTokens_FittedEvenWhenTheClientSentOne()
    {
        // The pin replaced the client's value: a 400 naming min_tokens would blame the client for the server's number.
        var config = Resolve(new SamplingSettings { MinTokens = 4 }, policy: new KeyPolicy { Pins = { ["min_tokens"] = 300 } });

        Assert.Equal(300, config.MinTokens);
        Assert.True(config.FitMinTokensToContext);
    }

    [Fact]
    public void Resolve_PinEqualToTheClientsMinTokens_StaysTheClientsAndStrict()
    {
        // Nothing was replaced (no adjustment is reported), so the value is the client's: the worker must not lower it.
        var (config, adjustments) = GenerationPolicy.Resolve(
            new SamplingSettings { MinTokens = 300 }, ServerDefaults.BuiltIn, null, null, coupled: null,
            new KeyPolicy { Pins = { ["min_tokens"] = 300 } });

        Assert.Equal(300, config.MinTokens);
        Assert.DoesNotContain(adjustments, a => a.Param == "min_tokens");
        Assert.False(config.FitMinTokensToContext);
    }

    [Fact]
    public void Resolve_ProfileFloorAboveTheClientsMaxTokens_LoweredToItNotRejected()
    {
        // A 400 naming min_tokens would blame the client for the profile's floor; the client's ceiling wins.
        var (config, adjustments) = GenerationPolicy.Resolve(
            new SamplingSettings { MaxTokens = 100 }, ServerDefaults.BuiltIn, "long", LongAnswers, coupled: null, policy: null);

        Assert.Equal(100, config.MaxTokens);
        Assert.Equal(100, config.MinTokens);
        Assert.True(config.FitMinTokensToContext);
        Assert.Equal("min_tokens=100 (max_tokens)", adjustments.Last(a => a.Param == "min_tokens").ToString());
    }

    [Fact]
    public void Resolve_ClientFloorAboveTheProfilesMaxTokens_StillRejectedNamingMinTokens()
    {
        var error = Assert.Throws<InferenceCluster.Gateway.OpenAI.OpenAIException>(() => Resolve(new SamplingSettings { MinTokens = 3000 }, LongAnswers));

        Assert.Equal("min_tokens", error.Param);
    }

    [Fact]
    public void Resolve_ClientMaxTokensWithoutMinTokens_OnlyTheFloorIsTheServers()
    {
        var config = Resolve(new SamplingSettings { MaxTokens = 1000 }, LongAnswers);

        Assert.False(config.FitMaxTokensToContext);
        Assert.True(config.FitMinTokensToContext);
    }
}
