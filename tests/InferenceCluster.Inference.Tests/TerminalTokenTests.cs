using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Models;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// A turn the model ends itself reports the end-of-sequence token it sampled, on every path, and that token is
/// neither in the text nor in the usage; a turn cut by a limit reports none.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TerminalTokenTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic", false)]
    [InlineData("static", false)]
    [InlineData("dynamic", true)]
    public async Task GenerateAsync_ModelEndsTurn_ReportsTerminalTokenOutsideTheText(string layout, bool logprobs)
    {
        var engine = engines.For(layout);
        var eos = ModelFolder.Read(layout == "dynamic" ? TestModel.PagedPath : TestModel.StandardPath).EosTokenIds;
        var ended = new List<Result>();
        var cut = new List<Result>();

        // A hot, unrestricted sampler ends some turns early; seeds keep the dynamic runs repeatable.
        for (var seed = 0; seed < 24 && ended.Count == 0; seed++)
        {
            var config = Run.Sampled(1.5, 1.0, 0, layout == "dynamic" ? seed : null, maxTokens: 400) with { Logprobs = logprobs };
            var result = await Run.CollectAsync(engine, config);
            (result.Completed.FinishReason == GenerationFinishReason.Stop ? ended : cut).Add(result);
        }

        var closed = Assert.Single(ended);
        Assert.NotNull(closed.Completed.TerminalTokenId);
        Assert.Contains(closed.Completed.TerminalTokenId!.Value, eos);
        Assert.DoesNotContain(closed.TokenIds, eos.Contains);
        Assert.Equal(closed.Tokens.Count, closed.Completed.Usage.CompletionTokens);
        Assert.All(cut, result => Assert.Null(result.Completed.TerminalTokenId));
    }

    [Fact]
    public async Task GenerateAsync_StopStringEndsTurn_ReportsNoTerminalToken()
    {
        var full = await Run.CollectAsync(engines.Dynamic, Run.Greedy(maxTokens: 32));
        var stop = StopStringTests.PickStop(full.Text);

        var stopped = await Run.CollectAsync(engines.Dynamic, Run.Greedy(maxTokens: 32) with { Stop = [stop] });

        Assert.Equal(GenerationFinishReason.Stop, stopped.Completed.FinishReason);
        Assert.Null(stopped.Completed.TerminalTokenId);
    }
}
