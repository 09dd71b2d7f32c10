using System.Globalization;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>
/// The settings worth using: within a margin of the best score. The score is the both-pass rate;
/// when no point passes a single math-and-code pair (or the suite lacks one of them) it falls back
/// to overall accuracy, and when nothing passes at all there is no band.
/// </summary>
public sealed record RecommendedBand(string Basis, double Best, IReadOnlyList<PointSummary> Points)
{
    /// <summary>The score this band ranks by.</summary>
    public double ScoreOf(PointSummary s) => Basis == BothBasis ? s.Both ?? 0 : s.Accuracy;

    /// <summary>One sentence for the console and report.</summary>
    public string Describe(double margin) => Points.Count == 0
        ? "No recommended band: no grid point passed any case."
        : string.Create(CultureInfo.InvariantCulture, $"Recommended band: settings whose {Basis} is within {margin:0.###} of the best ({Best * 100:0}%):");

    internal const string BothBasis = "both-pass rate";
    internal const string AccuracyBasis = "overall accuracy";
}
