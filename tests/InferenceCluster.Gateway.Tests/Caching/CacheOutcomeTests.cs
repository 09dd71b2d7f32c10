using InferenceCluster.Gateway.Caching;

namespace InferenceCluster.Gateway.Tests.Caching;

public sealed class CacheOutcomeTests
{
    [Theory]
    [InlineData(1, 1, 1, "hit")]
    [InlineData(1, 1, 0, "miss")]
    [InlineData(2, 2, 1, "partial")]

    // Not looked up: unseeded, the revision unknown, the cache unavailable or none configured.
    [InlineData(1, 0, 0, "bypass")]

    // The cache went away between two choices' lookups: nothing claims a miss for the choice nobody looked up.
    [InlineData(2, 1, 0, "bypass")]

    // ...but a choice it replayed is still told.
    [InlineData(2, 1, 1, "partial")]
    public void Of_LookupsAndHits_TheHeaderValue(int choices, int lookedUp, int hits, string expected) =>
        Assert.Equal(expected, CacheOutcome.Of(choices, lookedUp, hits));

    [Fact]
    public async Task NoCompletionCache_Lookup_IsNotConsulted()
    {
        var lookup = await new NoCompletionCache().GetAsync("k", CancellationToken.None);

        Assert.Equal(CacheLookup.Unavailable, lookup);
    }
}
