using System.Globalization;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>Latency figures of a set of requests, printed by the drills.</summary>
internal static class Figures
{
    public static double Percentile(IReadOnlyList<RequestOutcome> outcomes, double p)
    {
        if (outcomes.Count == 0)
        {
            return double.NaN;
        }

        var sorted = outcomes.Select(o => o.Elapsed.TotalMilliseconds).Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static string Describe(string phase, IReadOnlyList<RequestOutcome> outcomes) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{phase}: {outcomes.Count} requests, {outcomes.Count(o => !o.Ok)} failed, p50 {Percentile(outcomes, 0.5):0.0} ms, " +
            $"p95 {Percentile(outcomes, 0.95):0.0} ms, max {Percentile(outcomes, 1):0.0} ms");

    /// <summary>Writes a figure to the test's output, from where scripts/test.sh repeats every "DRILL" line at its end.</summary>
    public static void Print(ITestOutputHelper output, string line) => output.WriteLine("DRILL " + line);
}
