namespace InferenceCluster.Contracts;

/// <summary>Event: a request could not be completed.</summary>
public sealed record CompletionFailed
{
    /// <summary>The request that failed.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The token position after the last delta sent (0 when none was).</summary>
    public required int Position { get; init; }

    /// <summary>A stable machine-readable code, one of <see cref="FailureCodes"/>.</summary>
    public required string Code { get; init; }

    /// <summary>A message for the caller, naming the setting or input at fault.</summary>
    public required string Message { get; init; }

    /// <summary>The request parameter at fault, when one is.</summary>
    public string? Param { get; init; }

    /// <summary>True when sending the same request again may succeed (e.g. a worker shutting down).</summary>
    public required bool Retryable { get; init; }

    /// <summary>Which worker reported it.</summary>
    public required string WorkerId { get; init; }
}
