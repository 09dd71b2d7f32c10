using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>Concurrent requests never share sampling state: deterministic ones match their solo runs.</summary>
[Collection(EngineCollection.Name)]
public sealed class IsolationTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_MixedConcurrentRequests_DeterministicOnesMatchSoloRuns(string layout)
    {
        var engine = engines.For(layout);
        var configs = new List<GenerationConfig>();
        for (var i = 0; i < 18; i++)
        {
            configs.Add((i % 3) switch
            {
                0 => Run.Greedy(maxTokens: 16 + i),
                1 => Run.Sampled(0.5 + (i * 0.05), 0.8 + (i % 2 * 0.15), i % 4 * 10, seed: 1000 + i, maxTokens: 20),
                _ => Run.Sampled(1.3 - (i * 0.03), 0.9, i % 5 * 5, seed: null, maxTokens: 20),
            });
        }

        var prompts = configs.Select((_, i) => Run.PromptFor(i)).ToList();
        var solo = new Dictionary<int, IReadOnlyList<int>>();
        for (var i = 0; i < configs.Count; i++)
        {
            if (configs[i].IsDeterministic)
            {
                solo[i] = (await Run.CollectAsync(engine, Run.Request(configs[i], prompts[i]))).TokenIds;
            }
        }

        var together = await Task.WhenAll(configs.Select((c, i) => Run.CollectAsync(engine, Run.Request(c, prompts[i]))));

        Assert.All(together, r => Assert.NotEqual(GenerationFinishReason.Error, r.Completed.FinishReason));
        Assert.Equal(12, solo.Count);
        foreach (var (index, tokens) in solo)
        {
            Assert.True(tokens.Count > 0);
            Assert.Equal(tokens, together[index].TokenIds);
        }

        Assert.Equal(0, engine.InFlight);
    }
}
