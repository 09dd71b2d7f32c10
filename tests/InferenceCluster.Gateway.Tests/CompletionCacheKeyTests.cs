using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests;

public sealed class CompletionCacheKeyTests
{
    private static readonly ChatMessage[] Conversation = [new("system", "Be brief."), new("user", "Hi")];

    private static GenerationConfig Greedy() => new() { DoSample = false, Temperature = 0, TopP = 0.95, MaxTokens = 32 };

    private static GenerationConfig Seeded(long seed) => new() { DoSample = true, Temperature = 0.7, TopP = 0.9, MaxTokens = 32, Seed = seed };

    [Fact]
    public void Compute_SameRequestFromTwoKeys_DiffersUnlessBothShare()
    {
        var first = new ApiKeyIdentity("first", new KeyPolicy());
        var second = new ApiKeyIdentity("second", new KeyPolicy());
        var sharingFirst = new ApiKeyIdentity("first", new KeyPolicy { SharedCache = true });
        var sharingSecond = new ApiKeyIdentity("second", new KeyPolicy { SharedCache = true });

        string Key(ApiKeyIdentity? who) => CompletionCacheKey.Compute(CacheScope.For(who), "m", "r1", Conversation, null, Greedy());

        Assert.NotEqual(Key(first), Key(second));
        Assert.NotEqual(Key(first), Key(null));
        Assert.Equal(Key(first), Key(new ApiKeyIdentity("first", new KeyPolicy())));
        Assert.Equal(Key(sharingFirst), Key(sharingSecond));
        Assert.NotEqual(Key(sharingFirst), Key(first));
    }

    [Fact]
    public void IsCacheable_FollowsDeterminismRule()
    {
        Assert.True(CompletionCacheKey.IsCacheable(Greedy()));
        Assert.True(CompletionCacheKey.IsCacheable(Seeded(1)));
        Assert.False(CompletionCacheKey.IsCacheable(Seeded(1) with { Seed = null }));
    }

    [Fact]
    public void Compute_SameInputs_SameKey()
    {
        var first = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5));
        var second = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", [new("system", "Be brief."), new("user", "Hi")], null, Seeded(5) with { Stop = [] });

        Assert.Equal(first, second);
        Assert.Equal(64, first.Length);
        Assert.Matches("^[0-9a-f]{64}$", first);
    }

    [Fact]
    public void Compute_AnyDecidingInputChanges_KeyChanges()
    {
        var baseline = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5));
        string[] variants =
        [
            CompletionCacheKey.Compute(CacheScope.Open, "m2", "r1", Conversation, null, Seeded(5)),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r2", Conversation, null, Seeded(5)),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", [new("user", "Be brief."), new("user", "Hi")], null, Seeded(5)),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", [new("system", "Be brief.Hi")], null, Seeded(5)),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(6)),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { Temperature = 0.71 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { TopP = 0.8 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { TopK = 3 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { MaxTokens = 33 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { MinTokens = 1 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { RepetitionPenalty = 1.1 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { Stop = ["x"] }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(5) with { Logprobs = true }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { MaxTokens = 32 }),
            CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", null, "Hi", Seeded(5)),
        ];

        Assert.All(variants, variant => Assert.NotEqual(baseline, variant));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void Compute_FittedMaxTokens_KeptApartFromTheSameValueTheClientSent()
    {
        // Over a long prompt the fitted request gets a shorter answer where the client's value is a 400: a cached
        // answer of the one must never answer the other.
        var sent = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy());
        var fitted = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { FitMaxTokensToContext = true });
        var fittedAgain = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { FitMaxTokensToContext = true });
        var fittedOtherPrompt = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", [new("user", "Bye")], null, Greedy() with { FitMaxTokensToContext = true });

        Assert.NotEqual(sent, fitted);
        Assert.Equal(fitted, fittedAgain);
        Assert.NotEqual(fitted, fittedOtherPrompt);
    }

    [Fact]
    public void Compute_FittedMinTokens_KeptApartFromTheSameValueTheClientSent()
    {
        // Over a long prompt the fitted floor is lowered where the client's own is a 400: one must not answer the other.
        var sent = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { MinTokens = 8 });
        var fitted = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { MinTokens = 8, FitMinTokensToContext = true });
        var fittedAgain = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { MinTokens = 8, FitMinTokensToContext = true });
        var bothFitted = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null,
            Greedy() with { MinTokens = 8, FitMinTokensToContext = true, FitMaxTokensToContext = true });

        Assert.NotEqual(sent, fitted);
        Assert.Equal(fitted, fittedAgain);
        Assert.NotEqual(fitted, bothFitted);
    }

    [Fact]
    public void Compute_FittedMinTokensOfZero_SameKeyAsBefore()
    {
        // Nothing to lower: requests without a floor keep the keys they had before the flag existed.
        var plain = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy());
        var flagged = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { FitMinTokensToContext = true });

        Assert.Equal(plain, flagged);
    }

    [Fact]
    public void Compute_Greedy_IgnoresSettingsGreedyDoesNotUse()
    {
        var plain = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy());
        var withUnusedSampling = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Greedy() with { TopP = 0.5, TopK = 7, Seed = 99 });

        Assert.Equal(plain, withUnusedSampling);
    }

    [Fact]
    public void Compute_UnseededSampling_Throws()
    {
        Assert.Throws<ArgumentException>(() => CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(1) with { Seed = null }));
    }

    [Fact]
    public void Compute_GoldenRequests_KeepTheirPinnedKeys()
    {
        // Cached answers outlive deployments: a key is only as good as the text it stands for. When the bytes of a key
        // change, old entries are orphaned (harmless); when the text a key stands for changes (a sampler, a seed's
        // folding, a template) while the bytes do not, old answers are served as new ones. So the keys are pinned: a
        // change here is a decision, and one that changes generated text must raise "v" in CompletionCacheKey.
        // v3: seeds outside 0..2^31-1 (here -1) sample other text since the worker folds them (SamplerSeed).
        var seeded = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", Conversation, null, Seeded(-1));
        var greedy = CompletionCacheKey.Compute(CacheScope.Open, "m", "r1", null, "Hi", Greedy());

        Assert.Equal("1d2ea8e7707e9caa4dc086ee3d34ca72ef5efb64c01b4e2661169ad5a9681a37", seeded);
        Assert.Equal("ed2dcd5030fcd95aef769cc410e32ffde38a297f8b4a81c0dca437c66ac28e27", greedy);
    }
}
