namespace InferenceCluster.Contracts;

/// <summary>Event: a worker is alive and serving a model. Published every few seconds.</summary>
public sealed record WorkerHeartbeat
{
    /// <summary>Unique per worker process.</summary>
    public required string WorkerId { get; init; }

    /// <summary>The model id the worker serves.</summary>
    public required string ModelId { get; init; }

    /// <summary>A revision that changes whenever the weights or tokenizer change.</summary>
    public required string ModelRevision { get; init; }

    /// <summary>Largest number of requests the worker runs at once.</summary>
    public required int Capacity { get; init; }

    /// <summary>Requests running now.</summary>
    public required int InFlight { get; init; }

    /// <summary>Context window of the model, in tokens.</summary>
    public required int ContextLength { get; init; }

    /// <summary>True when the model writes its reasoning inside &lt;think&gt;…&lt;/think&gt; before the answer.</summary>
    public bool IsReasoningModel { get; init; }

    /// <summary>When the worker sent this heartbeat.</summary>
    public required DateTimeOffset SentAt { get; init; }
}
