namespace InferenceCluster.Inference;

/// <summary>Facts about a loaded model that the rest of the system needs.</summary>
public sealed record ModelDescriptor
{
    /// <summary>The id requests use to address the model.</summary>
    public required string Id { get; init; }

    /// <summary>Changes whenever the weights, tokenizer or config change (a hash of the files).</summary>
    public required string Revision { get; init; }

    /// <summary>Context window in tokens (prompt plus completion).</summary>
    public required int ContextLength { get; init; }

    /// <summary>Largest number of requests run at once.</summary>
    public required int Capacity { get; init; }

    /// <summary>True when the model is a reasoning model that writes &lt;think&gt;…&lt;/think&gt; first.</summary>
    public required bool IsReasoningModel { get; init; }

    /// <summary>Which path serves requests by default: dynamic engine, static engine or classic generator.</summary>
    public required string BatchingMode { get; init; }

    /// <summary>The folder the model was loaded from.</summary>
    public required string Path { get; init; }
}
