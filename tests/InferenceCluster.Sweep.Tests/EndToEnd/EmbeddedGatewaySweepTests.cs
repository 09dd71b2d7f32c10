using System.Xml.Linq;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Reporting;
using InferenceCluster.Sweep.Running;
using InferenceCluster.Sweep.Suites;
using InferenceCluster.Sweep.Tests.Fakes;
using Microsoft.AspNetCore.Builder;

namespace InferenceCluster.Sweep.Tests.EndToEnd;

/// <summary>
/// A small sweep against the real gateway with its embedded worker, the real engine and the bundled
/// test model: the tool's settings must arrive at the worker untouched, one request each.
/// </summary>
[Collection(EmbeddedGateway.Collection)]
public sealed class EmbeddedGatewaySweepTests : IAsyncLifetime
{
    private static readonly string DefaultSuite = Path.Combine(AppContext.BaseDirectory, "suites", "default.jsonl");
    private readonly WorkerSpanRecorder _worker = new(TestModel.Id);
    private readonly TempDir _dir = new();
    private WebApplication? _app;

    public async Task InitializeAsync() => _app = await EmbeddedGateway.StartAsync();

    public async Task DisposeAsync()
    {
        await EmbeddedGateway.StopAsync(_app);
        _worker.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task RunAsync_EmbeddedGateway_EveryRequestReachesWorkerOnceWithItsOwnSettings()
    {
        // One case per category keeps the run short while every grader still runs.
        var suitePath = _dir.File("three.jsonl");
        var lines = File.ReadAllLines(DefaultSuite).Where(l => l.Trim().Length > 0).ToList();
        var three = new[] { "math", "code", "logic" }.Select(c => lines.First(l => l.Contains($"\"category\":\"{c}\"", StringComparison.Ordinal) || l.Contains($"\"category\": \"{c}\"", StringComparison.Ordinal))).ToList();
        await File.WriteAllLinesAsync(suitePath, three);
        var suite = SuiteLoader.Load(suitePath);
        Assert.Equal([CaseCategory.Math, CaseCategory.Code, CaseCategory.Logic], suite.Select(c => c.Category));

        var grid = new SweepGrid { Temperatures = [0.4, 0.8], TopPs = [0.9], MaxTokens = [48] };
        var options = new SweepOptions
        {
            BaseUrl = new Uri(_app!.Urls.First()), Model = TestModel.Id, SuitePath = suitePath, OutDir = _dir.File("out"),
            Grid = grid, Repeats = 1, SeedBase = 4242, Concurrency = 6,
        };

        var result = await SweepRunner.RunAsync(options, progress: null, CancellationToken.None);

        // The expected requests: every (point, case) with the seed the tool derives for it.
        var seeds = SeedDeriver.Derive(options.SeedBase, grid.Points(), [.. suite.Select(c => c.Id)], options.Repeats);
        Assert.Equal(6, seeds.Count);
        var expected = seeds.Select(s =>
        {
            var point = grid.Points().Single(p => p.Key == s.Key.Point);
            return (point.Temperature, point.TopP, point.MaxTokens, point.RepetitionPenalty, Seed: (long?)s.Value);
        }).Order().ToList();

        // What the worker saw, one prefill span per request, each with its own request id.
        var seen = _worker.Seen;
        Assert.Equal(seen.Count, seen.Select(s => s.RequestId).Distinct().Count());
        var actual = seen.Select(s => (s.Temperature, s.TopP, s.MaxTokens, s.RepetitionPenalty, s.Seed)).Order().ToList();
        Assert.Equal(expected, actual);

        // answers.csv: one row per request, each carrying the seed the worker received for its point.
        var rows = AnswersCsv.Read(result.AnswersPath);
        Assert.Equal(expected.Count, rows.Count);
        Assert.All(rows, r => Assert.Single(seen, s => s.Seed == r.Seed && s.Temperature == r.Point.Temperature && s.MaxTokens == r.Point.MaxTokens));
        Assert.All(rows, r => Assert.InRange(r.CompletionTokens, 1, 48));
        Assert.All(rows, r => Assert.Contains(r.FinishReason, new[] { "stop", "length" }));
        Assert.Equal(6, result.Sent);

        var report = await File.ReadAllTextAsync(result.ReportPath);
        Assert.Contains("| 0.40 | 0.90 | 48 |", report, StringComparison.Ordinal);
        Assert.Contains("| 0.80 | 0.90 | 48 |", report, StringComparison.Ordinal);
        Assert.Contains("## Recommended band", report, StringComparison.Ordinal);

        var svg = XDocument.Load(result.ChartPath);
        Assert.Equal("svg", svg.Root!.Name.LocalName);
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "polyline");
    }
}
