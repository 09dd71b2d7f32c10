namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// Whether a request's answer came from the cache, told to the client in the <see cref="HeaderName"/> response header
/// (JSON and streamed answers alike) and to the trace as <c>inference_cluster.cache.result</c>.
/// </summary>
internal static class CacheOutcome
{
    public const string HeaderName = "X-Inference-Cache";

    /// <summary>
    /// <c>hit</c>: every choice replayed from the cache; <c>miss</c>: looked up, every choice generated; <c>partial</c>:
    /// some of each (a seeded request with <c>n</c> &gt; 1 whose first seeds were asked before); <c>bypass</c>: not
    /// looked up (unseeded sampling, or the workers disagree on the model revision).
    /// </summary>
    public static string Of(int choices, int lookedUp, int hits) =>
        lookedUp < choices ? "bypass"
        : hits == choices ? "hit"
        : hits == 0 ? "miss"
        : "partial";

    /// <summary>The span keeps its three values: a partial answer was generated, if only in part.</summary>
    public static string ForTrace(string outcome) => outcome == "partial" ? "miss" : outcome;
}
