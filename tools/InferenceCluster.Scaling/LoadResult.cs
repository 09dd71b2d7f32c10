using System.Diagnostics;

namespace InferenceCluster.Scaling;

/// <summary>The requests of one load run and the window in which it was measured.</summary>
internal sealed record LoadResult(IReadOnlyList<RequestSample> Samples, long WindowStart, long WindowEnd)
{
    public double Seconds => (WindowEnd - WindowStart) / (double)Stopwatch.Frequency;

    /// <summary>Runs taken in turns with other ones, as one: all their requests, from the first start to the last end.</summary>
    public static LoadResult Merge(IReadOnlyList<LoadResult> parts) =>
        new([.. parts.SelectMany(p => p.Samples)], parts.Min(p => p.WindowStart), parts.Max(p => p.WindowEnd));

    public IEnumerable<RequestSample> Succeeded => Samples.Where(s => s.Error is null);

    public int Errors => Samples.Count(s => s.Error is not null);

    public string? FirstError => Samples.FirstOrDefault(s => s.Error is not null)?.Error;

    /// <summary>
    /// Tokens generated inside the window: each request's tokens spread evenly over its lifetime, so requests
    /// straddling the window's edges count only for their part inside it.
    /// </summary>
    public double Tokens => Succeeded.Sum(s =>
    {
        var overlap = Math.Min(s.End, WindowEnd) - Math.Max(s.Start, WindowStart);
        return overlap <= 0 ? 0 : s.Tokens * (double)overlap / Math.Max(1, s.End - s.Start);
    });

    public double TokensPerSecond => Tokens / Seconds;

    public double RequestsPerSecond => Succeeded.Count(s => s.End >= WindowStart && s.End <= WindowEnd) / Seconds;

    /// <summary>
    /// A percentile over the requests inside the window, or (<paramref name="whole"/> false, for times to first
    /// token of streams that may outlive the window) over every request that started before its end.
    /// </summary>
    public double Percentile(Func<RequestSample, double> measure, double percentile, bool whole = true)
    {
        var values = Succeeded.Where(s => whole ? s.Start >= WindowStart && s.End <= WindowEnd : s.Start <= WindowEnd)
            .Select(measure).Order().ToList();
        return values.Count == 0 ? double.NaN : values[Math.Min(values.Count - 1, (int)Math.Ceiling(percentile / 100 * values.Count) - 1)];
    }
}
