using System.Text.Json.Nodes;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>Inference:IntraOpThreads reaches the model's session options on the engine and the classic path.</summary>
[Collection(EngineCollection.Name)]
public sealed class IntraOpThreadsTests(EngineFixture engines)
{
    [Fact]
    public void EngineOverlay_WithThreads_SetsSessionOptionBesideTheBatch()
    {
        var overlay = JsonNode.Parse(InferenceEngineFactory.EngineOverlay(dynamicBatching: true, maxConcurrency: 6, intraOpThreads: 2))!;

        Assert.Equal(2, (int)overlay["model"]!["decoder"]!["session_options"]!["intra_op_num_threads"]!);
        Assert.Equal(6, (int)overlay["engine"]!["dynamic_batching"]!["max_batch_size"]!);
    }

    [Fact]
    public void Overlays_DefaultThreads_LeaveSessionOptionsAlone()
    {
        var overlay = JsonNode.Parse(InferenceEngineFactory.EngineOverlay(dynamicBatching: false, maxConcurrency: 4, intraOpThreads: 0))!;

        Assert.Null(overlay["model"]);
        Assert.Equal(4, (int)overlay["engine"]!["static_batching"]!["max_batch_size"]!);
        Assert.Null(InferenceEngineFactory.SessionOverlay(0));
    }

    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task LoadAsync_TwoIntraOpThreads_SameGreedyTokensOnEngineAndClassicPaths(string layout)
    {
        var options = EngineFixture.Options(layout == "dynamic" ? TestModel.PagedPath : TestModel.StandardPath, capacity: 2);
        options.IntraOpThreads = 2;
        await using var threaded = await InferenceEngineFactory.LoadAsync(options);
        var expected = await Run.CollectAsync(engines.For(layout), Run.Greedy(maxTokens: 16));

        var engine = await Run.CollectAsync(threaded, Run.Greedy(maxTokens: 16));
        var classic = await Run.CollectAsync(threaded, Run.Greedy(maxTokens: 16) with { Logprobs = true });

        Assert.Equal(16, expected.Tokens.Count);
        Assert.Equal(expected.TokenIds, engine.TokenIds);
        Assert.Equal(expected.TokenIds, classic.TokenIds);
        Assert.All(classic.Tokens, token => Assert.NotNull(token.Logprob));
    }
}
