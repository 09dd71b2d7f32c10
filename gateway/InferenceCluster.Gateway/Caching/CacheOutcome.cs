namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// Whether a request's answer came from the cache, told to the client in the <see cref="HeaderName"/> response header
/// (JSON and streamed answers alike) and to the trace as <c>inference_cluster.cache.result</c>.
/// </summary>
internal static class CacheOutcome
{
    public const string HeaderName = "X-Inference-Cache";

    /// <summary>
    /// <c>hit</c>: every choice replayed from the cache; <c>partial</c>: some replayed, the others generated (a seeded
    /// request with <c>n</c> &gt; 1 whose first seeds were asked before); <c>miss</c>: every choice looked up and
    /// generated; <c>bypass</c>: none replayed and some not looked up (unseeded sampling, the workers disagree on the model
    /// revision, the cache unavailable or none configured), so a miss is never claimed for a cache nobody asked.
    /// </summary>
    public static string Of(int choices, int lookedUp, int hits) =>
        hits == choices ? "hit"
        : hits > 0 ? "partial"
        : lookedUp < choices ? "bypass"
        : "miss";

    /// <summary>The span keeps its three values: a partial answer was generated, if only in part.</summary>
    public static string ForTrace(string outcome) => outcome == "partial" ? "miss" : outcome;
}
