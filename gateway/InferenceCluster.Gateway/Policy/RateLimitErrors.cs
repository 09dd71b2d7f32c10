namespace InferenceCluster.Gateway.Policy;

/// <summary>The 429 error names, as OpenAI's API sends them.</summary>
internal static class RateLimitErrors
{
    public const string Type = "requests";
    public const string RateLimitCode = "rate_limit_exceeded";
    public const string QueueFullCode = "model_queue_full";
}
