using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>Turns graded answers into per-point figures and the recommended band.</summary>
internal static class Summarizer
{
    /// <summary>One summary per point, in the order of <paramref name="points"/>; points without answers are left out.</summary>
    public static IReadOnlyList<PointSummary> Summarize(IEnumerable<GridPoint> points, IEnumerable<AnswerRecord> records)
    {
        var byPoint = records.GroupBy(r => r.Point.Key).ToDictionary(g => g.Key, g => g.ToList());
        return [.. points.Where(p => byPoint.ContainsKey(p.Key)).Select(p => Summarize(p, byPoint[p.Key]))];
    }

    /// <summary>Points whose score is within <paramref name="margin"/> of the best, best first.</summary>
    public static RecommendedBand Band(IReadOnlyList<PointSummary> summaries, double margin)
    {
        var useBoth = summaries.Count > 0 && summaries.All(s => s.Both is not null) && summaries.Max(s => s.Both!.Value) > 0;
        var band = new RecommendedBand(useBoth ? RecommendedBand.BothBasis : RecommendedBand.AccuracyBasis, 0, []);
        var best = summaries.Count == 0 ? 0 : summaries.Max(band.ScoreOf);
        if (best <= 0)
        {
            return band;
        }

        return band with
        {
            Best = best,
            Points = [.. summaries.Where(s => band.ScoreOf(s) >= best - margin - 1e-12)
                .OrderByDescending(band.ScoreOf).ThenByDescending(s => s.StopRate).ThenBy(s => s.MeanTokens)],
        };
    }

    /// <summary>
    /// The failure class of one answer: running out of tokens or looping explains a failure better
    /// than what the grader saw in the truncated text, so those come first.
    /// </summary>
    public static string FailureClass(AnswerRecord r) =>
        r.Passed ? "" : r.FinishReason == "length" ? "cut by length" : r.Repetition ? "repetition" : r.Problem;

    private static PointSummary Summarize(GridPoint point, List<AnswerRecord> rs)
    {
        var categories = rs.GroupBy(r => r.Category).ToDictionary(g => g.Key, g =>
        {
            var tokens = g.Select(r => r.CompletionTokens).Order().ToArray();
            return new CategoryFigures(tokens.Length, g.Count(r => r.Passed) / (double)tokens.Length, tokens.Average(), tokens[(int)Math.Ceiling(0.95 * tokens.Length) - 1]);
        });

        var margins = rs.Where(r => r.Margin is not null).Select(r => r.Margin!.Value).ToList();
        var failures = rs.Where(r => !r.Passed).GroupBy(FailureClass).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        return new PointSummary
        {
            Point = point,
            Answers = rs.Count,
            Categories = categories,
            Accuracy = rs.Count(r => r.Passed) / (double)rs.Count,
            Both = Both(rs),
            MeanTokens = rs.Average(r => r.CompletionTokens),
            StopRate = rs.Count(r => r.FinishReason == "stop") / (double)rs.Count,
            RepetitionRate = rs.Count(r => r.Repetition) / (double)rs.Count,
            Margin = margins.Count == 0 ? null : margins.Average(),
            MainProblem = failures.Count == 0 ? "-" : failures[0].Key,
        };
    }

    private static double? Both(List<AnswerRecord> rs)
    {
        var perRepeat = rs.GroupBy(r => r.Repeat).Select(g =>
        {
            var math = g.Where(r => r.Category == CaseCategory.Math).ToList();
            var code = g.Where(r => r.Category == CaseCategory.Code).ToList();
            return math.Count == 0 || code.Count == 0
                ? (double?)null
                : math.Count(r => r.Passed) / (double)math.Count * (code.Count(r => r.Passed) / (double)code.Count);
        }).ToList();
        return perRepeat.Any(v => v is null) ? null : perRepeat.Average();
    }
}
