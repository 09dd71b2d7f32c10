using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>Every finish reason is reachable and reported with usage.</summary>
[Collection(EngineCollection.Name)]
public sealed class FinishReasonTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_MaxTokensReached_FinishesWithLengthAndExactCount(string layout)
    {
        var result = await Run.CollectAsync(engines.For(layout), Run.Greedy(maxTokens: 7));

        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(7, result.Tokens.Count);
        Assert.Equal(7, result.Completed.Usage.CompletionTokens);
        Assert.True(result.Completed.Usage.PromptTokens > 0);
        Assert.IsType<PrefillCompleted>(result.Events[0]);
    }

    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_StopStringGenerated_FinishesWithStop(string layout)
    {
        var engine = engines.For(layout);
        var full = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 32));
        var stop = StopStringTests.PickStop(full.Text);

        var stopped = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 32) with { Stop = [stop] });

        Assert.Equal(GenerationFinishReason.Stop, stopped.Completed.FinishReason);
    }

    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_TokenCancelled_FinishesWithCancelled(string layout)
    {
        using var cts = new CancellationTokenSource();
        var events = new List<GenerationEvent>();
        await foreach (var e in engines.For(layout).GenerateAsync(Run.Request(Run.Greedy(maxTokens: engines.For(layout).Model.ContextLength - 64)), cts.Token))
        {
            events.Add(e);
            if (e is TokenGenerated)
            {
                await cts.CancelAsync();
            }
        }

        var completed = Assert.IsType<GenerationCompleted>(events[^1]);
        Assert.Equal(GenerationFinishReason.Cancelled, completed.FinishReason);
        // Tokens the engine made before the cancel reached it are dropped: nothing follows the cancel point.
        Assert.Single(events.OfType<TokenGenerated>());
    }

    [Fact]
    public async Task GenerateAsync_NoProgressWithinTimeout_FinishesWithError()
    {
        // A timeout shorter than one engine step makes every request look stuck to the watchdog.
        var options = EngineFixture.Options(TestModel.PagedPath, capacity: 2);
        options.NoProgressTimeout = TimeSpan.FromTicks(1);
        await using var engine = await InferenceEngineFactory.LoadAsync(options);

        var result = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 50));

        Assert.Equal(GenerationFinishReason.Error, result.Completed.FinishReason);
        Assert.Contains("no progress", result.Completed.Error, StringComparison.Ordinal);
        Assert.Equal(0, engine.InFlight);
    }

    [Fact]
    public async Task GenerateAsync_QueuedBehindStaticBatchLongerThanTimeout_NotFailedByWatchdog()
    {
        // A static batch admits newcomers only when the whole batch is done, so the short request
        // waits for the long one: waiting in a queue is not "no progress".
        var options = EngineFixture.Options(TestModel.StandardPath, capacity: 2);
        options.NoProgressTimeout = TimeSpan.FromMilliseconds(150);
        await using var engine = await InferenceEngineFactory.LoadAsync(options);
        var longTokens = engine.Model.ContextLength - 64;
        var started = new TaskCompletionSource();

        async Task<Result> LongAsync()
        {
            var events = new List<GenerationEvent>();
            await foreach (var e in engine.GenerateAsync(Run.Request(Run.Greedy(maxTokens: longTokens) with { MinTokens = longTokens })))
            {
                events.Add(e);
                started.TrySetResult();
            }

            return new Result(events);
        }

        var longRun = LongAsync();
        await started.Task;
        var shortResult = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 8));
        var longResult = await longRun;

        Assert.Equal(GenerationFinishReason.Length, longResult.Completed.FinishReason);
        Assert.Equal(GenerationFinishReason.Length, shortResult.Completed.FinishReason);
        var prefill = Assert.IsType<PrefillCompleted>(shortResult.Events[0]);
        Assert.True(prefill.Prefill > options.NoProgressTimeout, $"the short request did not wait behind the batch ({prefill.Prefill})");
    }
}
