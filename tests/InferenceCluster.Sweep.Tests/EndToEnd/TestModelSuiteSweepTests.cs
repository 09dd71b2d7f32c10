using InferenceCluster.Inference.Hosting;
using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Running;
using InferenceCluster.Sweep.Tests.Fakes;
using Microsoft.AspNetCore.Builder;

namespace InferenceCluster.Sweep.Tests.EndToEnd;

/// <summary>
/// The study the sweep exists for, on the bundled trained model and its suite of held-out questions: cool
/// settings answer correctly, a hot one wanders off, so the recommended band leaves the hottest point out.
/// </summary>
[Collection(EmbeddedGateway.Collection)]
public sealed class TestModelSuiteSweepTests : IAsyncLifetime
{
    private static readonly string Suite = Path.Combine(AppContext.BaseDirectory, "suites", "test-model.jsonl");
    private readonly TempDir _dir = new();
    private WebApplication? _app;

    public async Task InitializeAsync() => _app = await EmbeddedGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await EmbeddedGateway.StopAsync(_app);
        _dir.Dispose();
    }

    [Fact]
    public async Task RunAsync_TestModelSuiteFromCoolToHot_BandExcludesTheHottestPoint()
    {
        var grid = new SweepGrid { Temperatures = [0.3, 0.9, 1.5], TopPs = [1.0], MaxTokens = [256] };
        var options = new SweepOptions
        {
            BaseUrl = new Uri(_app!.Urls.First()), Model = TestModel.Id, SuitePath = Suite, OutDir = _dir.File("out"),
            Grid = grid, Repeats = 1, SeedBase = 1000, Concurrency = 8,
        };

        var result = await SweepRunner.RunAsync(options, progress: null, CancellationToken.None);

        var coolest = result.Summaries.Single(s => s.Point.Temperature == 0.3);
        var hottest = result.Summaries.Single(s => s.Point.Temperature == 1.5);
        Assert.True(coolest.Accuracy >= 0.9, $"at temperature 0.3 only {coolest.Accuracy:P0} of the held-out questions passed");
        Assert.True(hottest.Accuracy < coolest.Accuracy, $"temperature 1.5 passed {hottest.Accuracy:P0}, no worse than 0.3");
        Assert.Contains(result.Band.Points, p => p.Point.Temperature == 0.3);
        Assert.DoesNotContain(result.Band.Points, p => p.Point.Temperature == 1.5);
    }
}
