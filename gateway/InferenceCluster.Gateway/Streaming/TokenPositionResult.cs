namespace InferenceCluster.Gateway.Streaming;

/// <summary>What adding a reply to a <see cref="TokenPositionBuffer"/> released, and whether a run diverged.</summary>
internal sealed record TokenPositionResult(IReadOnlyList<ReplyEvent> Ready, bool Diverged);
