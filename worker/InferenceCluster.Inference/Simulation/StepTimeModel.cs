namespace InferenceCluster.Inference.Simulation;

/// <summary>How long one simulated step takes: a + b × sequences decoding + c × prompt tokens prefilled, times the slowdown.</summary>
internal readonly record struct StepTimeModel(double BaseMilliseconds, double PerSequenceMilliseconds, double PrefillPerTokenMilliseconds, double Slowdown)
{
    public static StepTimeModel From(SimulationOptions options) => new(
        options.DecodeBaseMilliseconds, options.DecodePerSequenceMilliseconds, options.PrefillPerTokenMilliseconds, options.Slowdown);

    /// <summary>
    /// One step. Sequences prefilled in the step also produce their first token in it; their cost is the
    /// prefill term, so they are not counted again as decoding.
    /// </summary>
    public TimeSpan Step(int decoding, int prefillTokens) => TimeSpan.FromTicks((long)Math.Round(
        (BaseMilliseconds + PerSequenceMilliseconds * decoding + PrefillPerTokenMilliseconds * prefillTokens)
        * Slowdown * TimeSpan.TicksPerMillisecond));
}
