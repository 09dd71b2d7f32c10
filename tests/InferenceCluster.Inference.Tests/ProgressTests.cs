namespace InferenceCluster.Inference.Tests;

/// <summary>
/// What the worker's engine watchdog reads: every path of the engine counts the calls into GenAI that came back, so a
/// request that runs moves the count, on the engine loop and on the classic path alike.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ProgressTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task Progress_EngineRequest_MovesAtLeastOncePerToken(string layout)
    {
        var engine = engines.For(layout);
        var before = Count(engine, "engine loop");

        var result = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 12));

        Assert.Equal(12, result.Tokens.Count);
        var moved = Count(engine, "engine loop") - before;
        Assert.True(moved >= 12, $"the engine loop's count moved {moved} times for 12 tokens");
    }

    [Fact]
    public async Task Progress_ClassicRequest_CountsItsPrefillAndEveryToken()
    {
        // Log-probabilities run on the classic path, a Generator per request, not on the engine loop.
        var engine = engines.Dynamic;
        var before = Count(engine, "classic path");

        var result = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 12) with { Logprobs = true, TopLogprobs = 1 });

        Assert.Equal(12, result.Tokens.Count);
        var moved = Count(engine, "classic path") - before;
        Assert.True(moved >= 14, $"the classic path's count moved {moved} times for a prefill and 12 tokens");
    }

    private static long Count(IInferenceEngine engine, string path) => engine.Progress.Single(p => p.Path == path).Count;
}
