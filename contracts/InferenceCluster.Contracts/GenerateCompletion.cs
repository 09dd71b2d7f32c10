namespace InferenceCluster.Contracts;

/// <summary>Command: generate one completion. Everything a worker needs is inside the message.</summary>
public sealed record GenerateCompletion
{
    /// <summary>Correlates every delta, final and failure message with the request.</summary>
    public required Guid RequestId { get; init; }

    /// <summary>The model id the request was routed to.</summary>
    public required string Model { get; init; }

    /// <summary>Chat turns, rendered with the model's own chat template. Null when <see cref="Prompt"/> is set.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>A raw prompt (completions API). Null when <see cref="Messages"/> is set.</summary>
    public string? Prompt { get; init; }

    /// <summary>The full resolved generation config of this request.</summary>
    public required GenerationConfig Config { get; init; }

    /// <summary>Whether the caller wants deltas as they are produced.</summary>
    public required bool Stream { get; init; }

    /// <summary>Where deltas, the final message and failures go (the gateway instance's reply queue).</summary>
    public required Uri ReplyAddress { get; init; }

    /// <summary>After this moment nobody waits for the answer; a worker drops or stops the request.</summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>When the gateway published the command (queue wait is measured from here).</summary>
    public required DateTimeOffset EnqueuedAt { get; init; }
}
