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
        var runs = sources.Select((cts, i) =>
            Run.CollectAsync(engine, Run.Request(Run.Greedy(maxTokens: i % 3 == 0 ? engine.Model.ContextLength - 64 : 40), $"{Run.Prompt} {i}"), cts.Token)).ToList();

        // The long ones (every third) would hold their permit for a long time: cancel them.
        await Task.Delay(200);
        for (var i = 0; i < sources.Count; i += 3)
        {
            await sources[i].CancelAsync();
        }

        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < results.Length; i++)
        {
            var expected = i % 3 == 0 ? GenerationFinishReason.Cancelled : GenerationFinishReason.Length;
            Assert.Equal(expected, results[i].Completed.FinishReason);
        }

        Assert.Equal(0, engine.InFlight);
        sources.ForEach(s => s.Dispose());
    }
}
