using System.Globalization;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>Latency figures of a drill's answers, and the one way a drill prints a figure.</summary>
internal static class DrillFigures
{
    public static double Percentile(IReadOnlyList<DrillAnswer> answers, double p)
    {
        if (answers.Count == 0)
        {
            return double.NaN;
        }

        var sorted = answers.Select(answer => answer.Elapsed.TotalMilliseconds).Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static string Describe(string phase, IReadOnlyList<DrillAnswer> answers) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{phase}: {answers.Count} requests, {answers.Count(answer => !answer.Succeeded)} failed, p50 {Percentile(answers, 0.5):0.0} ms, " +
            $"p95 {Percentile(answers, 0.95):0.0} ms, max {Percentile(answers, 1):0.0} ms");

    /// <summary>Writes a figure to the test's output, from where scripts/test.sh repeats every "DRILL" line at its end.</summary>
    public static void Print(ITestOutputHelper output, string line) => output.WriteLine("DRILL " + line);
}
