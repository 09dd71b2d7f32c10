using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>Cancelling frees capacity: more requests than capacity, some cancelled, all others finish.</summary>
public sealed class CancellationTests
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_CancelSomeOfMoreThanCapacity_OthersAllFinish(string layout)
    {
        await using var engine = await InferenceEngineFactory.LoadAsync(
            EngineFixture.Options(layout == "dynamic" ? TestModel.PagedPath : TestModel.StandardPath, capacity: 3));
        var sources = Enumerable.Range(0, 9).Select(_ => new CancellationTokenSource()).ToList();
        var runs = sources.Select((cts, i) => i % 3 == 0
            ? CancelAfterFirstTokenAsync(engine, Run.Request(Run.Greedy(maxTokens: engine.Model.ContextLength - 64), Run.PromptFor(i)), cts)
            : Run.CollectAsync(engine, Run.Request(Run.Greedy(maxTokens: 40) with { MinTokens = 40 }, Run.PromptFor(i)), cts.Token)).ToList();

        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < results.Length; i++)
        {
            var expected = i % 3 == 0 ? GenerationFinishReason.Cancelled : GenerationFinishReason.Length;
            Assert.Equal(expected, results[i].Completed.FinishReason);
        }

        Assert.Equal(0, engine.InFlight);
        sources.ForEach(s => s.Dispose());
    }

    // The long requests would hold their permit for most of the context window: cancel each as soon as it runs.
    private static async Task<Result> CancelAfterFirstTokenAsync(IInferenceEngine engine, TestRequest request, CancellationTokenSource cts)
    {
        var events = new List<GenerationEvent>();
        await foreach (var e in engine.GenerateAsync(request, cts.Token))
        {
            events.Add(e);
            if (e is TokenGenerated)
            {
                await cts.CancelAsync();
            }
        }

        return new Result(events);
    }
}
