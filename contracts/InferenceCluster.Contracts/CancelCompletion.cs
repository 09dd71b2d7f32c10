namespace InferenceCluster.Contracts;

/// <summary>Command: stop generating a request (its caller went away). Published to every worker.</summary>
public sealed record CancelCompletion
{
    /// <summary>The request to stop.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The request's deadline: a worker that has not started the request yet remembers the cancel until then.</summary>
    public DateTimeOffset? Deadline { get; init; }
}
