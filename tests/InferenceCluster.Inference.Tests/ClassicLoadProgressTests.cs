using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// The classic path loads its own model inside its first request, one call that moves no count however long it takes.
/// A request waiting on that load is not in flight for the engine watchdog: counted, a load longer than
/// <c>Worker:EngineStallTimeout</c> (a large model copied to a device) ended the worker, and each worker the request
/// went to next, none of which had loaded its copy either.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ClassicLoadProgressTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Progress_ClassicRequestWaitingOnTheModelLoad_IsNotInFlight()
    {
        using var loading = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        await using var engine = await InferenceEngineFactory.LoadAsync(
            EngineFixture.Options(TestModel.PagedPath), loggerFactory: null, beforeClassicLoad: () =>
            {
                loading.Set();
                release.Wait(Bound);
            });

        // Log-probabilities run on the classic path; this is its first request, so it loads the classic model.
        var run = Task.Run(() => Run.CollectAsync(engine, Run.Greedy(maxTokens: 4) with { Logprobs = true, TopLogprobs = 1 }));
        Assert.True(loading.Wait(Bound), "the classic model's load did not begin");

        var waiting = Classic(engine).InFlight;
        release.Set();
        var result = await run.WaitAsync(Bound);

        Assert.Equal(0, waiting);
        Assert.Equal(4, result.Tokens.Count);
        Assert.Equal(0, Classic(engine).InFlight);
    }

    private static PathProgress Classic(IInferenceEngine engine) => engine.Progress.Single(p => p.Path == "classic path");
}
