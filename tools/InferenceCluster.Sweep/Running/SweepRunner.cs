using System.Globalization;
using InferenceCluster.Sweep.Client;
using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Reporting;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Running;

/// <summary>
/// Runs a sweep: every (grid point, case, repeat) becomes one request with its own settings and seed,
/// all sent concurrently up to the bound; answers are graded and appended to answers.csv as they
/// arrive, then the reports are rebuilt from that file.
/// </summary>
public static class SweepRunner
{
    /// <summary>Runs the sweep in-process against <see cref="SweepOptions.BaseUrl"/>.</summary>
    public static async Task<SweepResult> RunAsync(SweepOptions options, IProgress<SweepProgress>? progress, CancellationToken ct)
    {
        var suite = SuiteLoader.Load(options.SuitePath);
        var points = options.Grid.Points();
        var seeds = SeedDeriver.Derive(options.SeedBase, points, [.. suite.Select(c => c.Id)], options.Repeats);
        Directory.CreateDirectory(options.OutDir);
        var answersPath = Path.Combine(options.OutDir, "answers.csv");

        var kept = ResumeState.Load(answersPath, points, suite, options.Repeats, seeds);
        AnswersCsv.Write(answersPath, kept.Records);
        var work = (from p in points
                    where !kept.CompletePoints.Contains(p.Key)
                    from c in suite
                    from r in Enumerable.Range(0, options.Repeats)
                    select (Point: p, Case: c, Repeat: r)).ToList();

        var sandbox = new PythonSandbox(options.Python, options.CodeTimeout, Environment.ProcessorCount);
        var grader = new AnswerGrader(new CodeGrader(sandbox));
        using var http = options.Handler is null ? new HttpClient() : new HttpClient(options.Handler, disposeHandler: false);
        http.Timeout = options.RequestTimeout;
        var client = new ChatCompletionClient(http, options.BaseUrl, options.ApiKey);

        var resumed = kept.Records.Count(r => kept.CompletePoints.Contains(r.Point.Key)
            && seeds.TryGetValue((r.Point.Key, r.CaseId, r.Repeat), out var s) && s == r.Seed);
        var total = resumed + work.Count;
        var done = 0;
        var gate = new Lock();
        progress?.Report(new SweepProgress(resumed, total, resumed));

        await using (var writer = new StreamWriter(answersPath, append: true))
        {
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (item, token) =>
            {
                var seed = seeds[(item.Point.Key, item.Case.Id, item.Repeat)];
                var result = await client.CompleteAsync(new ChatRequest(options.Model, item.Case.Prompt, item.Point, seed), token).ConfigureAwait(false);
                var answer = AnswerText.Extract(result.Content, result.Reasoning, options.Reasoning);
                var grade = await grader.GradeAsync(item.Case, answer, token).ConfigureAwait(false);
                var record = new AnswerRecord
                {
                    Point = item.Point,
                    CaseId = item.Case.Id,
                    Category = item.Case.Category,
                    Repeat = item.Repeat,
                    Seed = seed,
                    Passed = grade.Passed,
                    Problem = grade.Problem,
                    Reason = grade.Reason,
                    CompletionTokens = result.CompletionTokens,
                    FinishReason = result.FinishReason,
                    Repetition = RepetitionDetector.HasRepetition(result.Reasoning + result.Content),
                    Margin = result.Margin,
                    Answer = answer,
                };
                lock (gate)
                {
                    // Written whole and flushed at once, so an interrupted run loses at most this line.
                    writer.Write(AnswersCsv.Line(record));
                    writer.Flush();
                    done++;
                    progress?.Report(new SweepProgress(resumed + done, total, resumed));
                }
            }).ConfigureAwait(false);
        }

        var all = AnswersCsv.Read(answersPath);
        var summaries = Summarizer.Summarize(points, all.Where(r => seeds.ContainsKey((r.Point.Key, r.CaseId, r.Repeat))));
        var band = Summarizer.Band(summaries, options.Margin);
        var mode = await sandbox.ModeAsync().ConfigureAwait(false);
        var reportPath = Path.Combine(options.OutDir, "report.md");
        var chartPath = Path.Combine(options.OutDir, "chart.svg");
        var title = $"Sampling sweep: {options.Model}";
        await File.WriteAllTextAsync(reportPath, MarkdownReport.Render(title, Facts(options, suite, points.Count, work.Count, resumed, mode), summaries, band, options.Margin), ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(chartPath, SvgChart.Render(title, summaries), ct).ConfigureAwait(false);
        return new SweepResult
        {
            Summaries = summaries,
            Band = band,
            Sent = work.Count,
            Resumed = resumed,
            Sandbox = mode,
            ReportPath = reportPath,
            AnswersPath = answersPath,
            ChartPath = chartPath,
        };
    }

    private static List<string> Facts(SweepOptions o, IReadOnlyList<SuiteCase> suite, int points, int sent, int resumed, SandboxMode mode) =>
    [
        $"model `{o.Model}` at {o.BaseUrl}",
        $"suite `{Path.GetFileName(o.SuitePath)}`: {suite.Count} cases ({string.Join(", ", suite.GroupBy(c => c.Category).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"))})",
        string.Create(CultureInfo.InvariantCulture, $"{points} grid points × {suite.Count} cases × {o.Repeats} repeat{(o.Repeats == 1 ? "" : "s")}; seed base {o.SeedBase}"),
        $"this run sent {sent} requests; {resumed} answers were resumed from answers.csv",
        o.Reasoning == ReasoningStart.Opened
            ? "reasoning opened by the chat template: only text after </think> was graded (--reasoning opened)"
            : "reasoning tagged by the model: text without <think> tags was graded whole (--reasoning tagged)",
        $"code answers ran under {mode} with a {o.CodeTimeout.TotalSeconds:0} s timeout",
        $"written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC",
    ];
}
