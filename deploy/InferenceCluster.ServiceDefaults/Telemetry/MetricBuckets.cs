using System.Diagnostics.Metrics;

namespace InferenceCluster.ServiceDefaults.Telemetry;

/// <summary>
/// Histogram bucket boundaries given to instruments as advice. OpenTelemetry's default buckets (0 to 10,000)
/// suit milliseconds; these follow the GenAI semantic conventions' advice for seconds and token counts.
/// </summary>
public static class MetricBuckets
{
    /// <summary>Durations of whole requests, in seconds.</summary>
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92],
    };

    /// <summary>Time to first token and queue waits, in seconds: finer at the short end.</summary>
    public static readonly InstrumentAdvice<double> ShortSeconds = new()
    {
        HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0],
    };

    /// <summary>Time per output token, in seconds.</summary>
    public static readonly InstrumentAdvice<double> PerToken = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5],
    };

    /// <summary>Token counts.</summary>
    public static readonly InstrumentAdvice<long> Tokens = new()
    {
        HistogramBucketBoundaries = [1, 4, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536],
    };

    /// <summary>Shares between 0 and 1.</summary>
    public static readonly InstrumentAdvice<double> Ratio = new()
    {
        HistogramBucketBoundaries = [0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0],
    };

    /// <summary>Log-probability margins (nats).</summary>
    public static readonly InstrumentAdvice<double> Nats = new()
    {
        HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0],
    };
}
