using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>A seed is a function of the request alone: it reproduces on a fresh engine instance.</summary>
[Collection(EngineCollection.Name)]
public sealed class SeedTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_SameSeedOnAnotherEngineInstance_SameTokens(string layout)
    {
        var config = Run.Sampled(1.0, 0.95, 0, seed: 424242, maxTokens: 24);
        var first = await Run.CollectAsync(engines.For(layout), config);
        await using var other = await InferenceEngineFactory.LoadAsync(
            EngineFixture.Options(layout == "dynamic" ? TestModel.PagedPath : TestModel.StandardPath, capacity: 2));

        var second = await Run.CollectAsync(other, config);

        Assert.Equal(24, first.Tokens.Count);
        Assert.Equal(first.TokenIds, second.TokenIds);
    }

    [Fact]
    public async Task GenerateAsync_DifferentSeeds_DifferentTokens()
    {
        // The trained model is sure of its first steps even when hot; a whole answer gives seeds room to differ.
        var a = await Run.CollectAsync(engines.Dynamic, Run.Sampled(1.5, 1.0, 0, seed: 1, maxTokens: 160));
        var b = await Run.CollectAsync(engines.Dynamic, Run.Sampled(1.5, 1.0, 0, seed: 2, maxTokens: 160));

        Assert.NotEqual(a.TokenIds, b.TokenIds);
    }
}
