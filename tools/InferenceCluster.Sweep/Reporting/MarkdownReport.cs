using System.Globalization;
using System.Text;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>Writes report.md: the main table, per-category details and the recommended band.</summary>
internal static class MarkdownReport
{
    /// <summary>The whole report text.</summary>
    public static string Render(string title, IReadOnlyList<string> facts, IReadOnlyList<PointSummary> summaries, RecommendedBand band, double margin)
    {
        var showK = summaries.Any(s => s.Point.TopK is not null);
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(title).AppendLine();
        foreach (var f in facts)
        {
            sb.Append("- ").AppendLine(f);
        }

        sb.AppendLine().AppendLine("## Results").AppendLine();
        sb.AppendLine("Accuracy per category is the share of answers that passed; both = chance that a math answer and a code answer of the same repeat both pass; margin = mean top-1 minus top-2 log-probability.").AppendLine();
        sb.AppendLine($"| temperature | top_p | max_tokens | repetition_penalty |{(showK ? " top_k |" : "")} math | code | logic | both | mean tokens | stop rate | margin | main problem |");
        sb.AppendLine($"|---|---|---|---|{(showK ? "---|" : "")}---|---|---|---|---|---|---|---|");
        foreach (var s in summaries)
        {
            sb.AppendLine(Row(s, showK));
        }

        sb.AppendLine().AppendLine("## Details").AppendLine();
        sb.AppendLine($"| temperature | top_p | max_tokens | repetition_penalty |{(showK ? " top_k |" : "")} answers | math tokens mean/p95 | code tokens mean/p95 | logic tokens mean/p95 | repetition rate |");
        sb.AppendLine($"|---|---|---|---|{(showK ? "---|" : "")}---|---|---|---|---|");
        foreach (var s in summaries)
        {
            sb.AppendLine(Inv($"{Settings(s, showK)} {s.Answers} | {Tokens(s, CaseCategory.Math)} | {Tokens(s, CaseCategory.Code)} | {Tokens(s, CaseCategory.Logic)} | {Pct(s.RepetitionRate)} |"));
        }

        sb.AppendLine().AppendLine("## Recommended band").AppendLine();
        sb.AppendLine(band.Describe(margin)).AppendLine();
        foreach (var s in band.Points)
        {
            sb.AppendLine(Inv($"- {s.Point} — {band.Basis} {Pct(band.ScoreOf(s))}, stop rate {Pct(s.StopRate)}, mean tokens {s.MeanTokens:0}"));
        }

        sb.AppendLine().AppendLine("## Chart").AppendLine().AppendLine("![accuracy and stop rate against temperature](chart.svg)");
        return sb.ToString();
    }

    private static string Row(PointSummary s, bool showK) => Inv(
        $"{Settings(s, showK)} {Acc(s, CaseCategory.Math)} | {Acc(s, CaseCategory.Code)} | {Acc(s, CaseCategory.Logic)} | {(s.Both is { } b ? Pct(b) : "-")} | {s.MeanTokens:0} | {Pct(s.StopRate)} | {(s.Margin is { } m ? m.ToString("0.00", CultureInfo.InvariantCulture) : "-")} | {s.MainProblem} |");

    private static string Settings(PointSummary s, bool showK) => Inv(
        $"| {s.Point.Temperature:0.00} | {s.Point.TopP:0.00} | {s.Point.MaxTokens} | {s.Point.RepetitionPenalty:0.00} |{(showK ? $" {s.Point.TopK?.ToString(CultureInfo.InvariantCulture) ?? "-"} |" : "")}");

    private static string Acc(PointSummary s, CaseCategory c) => s.Categories.TryGetValue(c, out var f) ? Pct(f.Accuracy) : "-";

    private static string Tokens(PointSummary s, CaseCategory c) => s.Categories.TryGetValue(c, out var f) ? Inv($"{f.MeanTokens:0}/{f.P95Tokens}") : "-";

    private static string Pct(double v) => Inv($"{v * 100:0}%");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
