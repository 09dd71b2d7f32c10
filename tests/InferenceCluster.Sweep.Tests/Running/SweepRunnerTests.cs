using System.Xml.Linq;
using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Reporting;
using InferenceCluster.Sweep.Running;
using InferenceCluster.Sweep.Suites;
using InferenceCluster.Sweep.Tests.Fakes;

namespace InferenceCluster.Sweep.Tests.Running;

public sealed class SweepRunnerTests
{
    private static readonly string DefaultSuite = Path.Combine(AppContext.BaseDirectory, "suites", "default.jsonl");
    private static readonly IReadOnlyList<SuiteCase> Suite = SuiteLoader.Load(DefaultSuite);

    /// <summary>Reference answers, except that math at temperature 0.5 or more never leaves its reasoning and is cut by length.</summary>
    private static FakeReply Reply(RecordedRequest r)
    {
        var c = Suite.Single(s => s.Prompt == r.Prompt);
        return c.Category == CaseCategory.Math && r.Temperature >= 0.5
            ? new FakeReply("<think>Wait, let me check. Wait, let me check. Wait, let me check.", "length")
            : new FakeReply(ReferenceAnswers.ById[c.Id]);
    }

    private static SweepOptions Options(Uri baseUrl, string outDir, SweepGrid grid) => new()
    {
        BaseUrl = baseUrl, Model = "fake-model", SuitePath = DefaultSuite, OutDir = outDir, Grid = grid, Concurrency = 64, SeedBase = 77,
    };

    [Fact]
    public async Task RunAsync_SmallGrid_EveryRequestCarriesExactlyItsPointsSettingsAndReportsAreWritten()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Reply);
        using var dir = new TempDir();
        var grid = new SweepGrid { Temperatures = [0.3, 0.5], TopPs = [0.85, 0.95], MaxTokens = [64, 128], RepetitionPenalties = [1.0] };
        var progress = new List<SweepProgress>();

        var result = await SweepRunner.RunAsync(Options(server.BaseUrl, dir.Path, grid), new SyncProgress(progress), CancellationToken.None);

        // Every (point, case) was sent exactly once, with that point's settings.
        var requests = server.Requests.ToList();
        var expected = grid.Points().SelectMany(p => Suite.Select(c => (p.Temperature, p.TopP, p.MaxTokens, p.RepetitionPenalty, c.Prompt))).Order().ToList();
        var sent = requests.Select(r => (r.Temperature, r.TopP, r.MaxTokens, r.RepetitionPenalty, r.Prompt)).Order().ToList();
        Assert.Equal(expected, sent);
        Assert.All(requests, r => Assert.Equal("fake-model", r.Body["model"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.Null(r.Body["top_k"]));
        Assert.Equal(requests.Count, requests.Select(r => r.Seed).Distinct().Count());

        // answers.csv holds every answer with the seed its request carried.
        var rows = AnswersCsv.Read(result.AnswersPath);
        Assert.Equal(requests.Count, rows.Count);
        foreach (var row in rows)
        {
            var prompt = Suite.Single(c => c.Id == row.CaseId).Prompt;
            var request = Assert.Single(requests, r => r.Prompt == prompt && r.Temperature == row.Point.Temperature && r.TopP == row.Point.TopP && r.MaxTokens == row.Point.MaxTokens);
            Assert.Equal(request.Seed, row.Seed);
        }

        // The graders see the reference answers as right and the reasoning_content field ("999999") is never graded.
        var cool = result.Summaries.Where(s => s.Point.Temperature == 0.3).ToList();
        Assert.Equal(4, cool.Count);
        Assert.All(cool, s => Assert.Equal(1.0, s.Accuracy));
        Assert.All(cool, s => Assert.Equal(1.0, s.Both));
        var hot = result.Summaries.Where(s => s.Point.Temperature == 0.5).ToList();
        Assert.All(hot, s => Assert.Equal(0.0, s.Categories[CaseCategory.Math].Accuracy));
        Assert.All(hot, s => Assert.Equal("cut by length", s.MainProblem));
        Assert.All(hot, s => Assert.Equal(10 / 15.0, s.StopRate, 9));
        Assert.All(hot, s => Assert.Equal(5 / 15.0, s.RepetitionRate, 9));
        Assert.All(result.Summaries, s => Assert.Equal(1.5, s.Margin!.Value, 9));
        Assert.Equal(cool.Select(s => s.Point).Order(new PointOrder()), result.Band.Points.Select(b => b.Point).Order(new PointOrder()));

        var report = File.ReadAllText(result.ReportPath);
        Assert.Contains("| temperature | top_p | max_tokens | repetition_penalty | math | code | logic | both | mean tokens | stop rate | margin | main problem |", report);
        Assert.Contains("| 0.50 | 0.85 | 64 | 1.00 | 0% | 100% | 100% | 0% |", report);
        Assert.Contains("## Recommended band", report);

        var svg = XDocument.Load(result.ChartPath);
        Assert.Equal(4, svg.Descendants().Count(e => e.Name.LocalName == "polyline"));
        Assert.Contains(svg.Descendants(), e => e.Value == "temperature");

        Assert.Equal(requests.Count, progress[^1].Done);
        Assert.Equal(progress[^1].Total, progress[^1].Done);
    }

    [Fact]
    public async Task RunAsync_SameOutDir_SkipsCompletePointsAndRedoesPartialOnesWithTheSameSeeds()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Reply);
        using var dir = new TempDir();
        var small = new SweepGrid { Temperatures = [0.3, 0.4], TopPs = [0.9], MaxTokens = [64] };
        var first = await SweepRunner.RunAsync(Options(server.BaseUrl, dir.Path, small), null, CancellationToken.None);
        Assert.Equal(30, first.Sent);
        var firstSeeds = server.Requests.Where(r => r.Temperature == 0.4).Select(r => r.Seed).Order().ToList();

        // Lose two answers of the 0.4 point, as an interrupted run would.
        var rows = AnswersCsv.Read(first.AnswersPath);
        AnswersCsv.Write(first.AnswersPath, rows.Where(r => !(r.Point.Temperature == 0.4 && r.CaseId is "logic-converse" or "code-nth-term")));
        server.Requests.Clear();

        var bigger = small with { Temperatures = [0.3, 0.4, 0.6] };
        var second = await SweepRunner.RunAsync(Options(server.BaseUrl, dir.Path, bigger), null, CancellationToken.None);

        // 0.3 is complete and skipped; 0.4 is incomplete and redone whole; 0.6 is new.
        Assert.Equal(15, second.Resumed);
        Assert.Equal(30, second.Sent);
        Assert.DoesNotContain(server.Requests, r => r.Temperature == 0.3);
        Assert.Equal(firstSeeds, server.Requests.Where(r => r.Temperature == 0.4).Select(r => r.Seed).Order().ToList());
        Assert.Equal(45, AnswersCsv.Read(second.AnswersPath).Count);
        Assert.Equal(3, second.Summaries.Count);
        Assert.Contains("| 0.60 |", File.ReadAllText(second.ReportPath));
    }

    private sealed class SyncProgress(List<SweepProgress> seen) : IProgress<SweepProgress>
    {
        public void Report(SweepProgress value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }

    private sealed class PointOrder : IComparer<GridPoint>
    {
        public int Compare(GridPoint? x, GridPoint? y) => string.CompareOrdinal(x!.Key, y!.Key);
    }
}
