namespace InferenceCluster.Gateway.Workers;

/// <summary>Whether a model can take a request now, and the revision its live workers run (null when they disagree).</summary>
internal sealed record ModelAvailability(bool IsKnown, int LiveWorkers, string? Revision)
{
    /// <summary>True when the model's workers announce a reasoning model (its output starts inside &lt;think&gt;).</summary>
    public bool IsReasoningModel { get; init; }

    public static readonly ModelAvailability Unknown = new(false, 0, null);

    public static readonly ModelAvailability NotLive = new(true, 0, null);
}
