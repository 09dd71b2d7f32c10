namespace InferenceCluster.Inference.Engine;

/// <summary>A message from any thread to the engine owner thread.</summary>
internal abstract record EngineCommand
{
    private EngineCommand()
    {
    }

    /// <summary>Create the request and begin its turn.</summary>
    public sealed record Submit(EngineSession Session) : EngineCommand;

    /// <summary>Cancel the request's turn.</summary>
    public sealed record Cancel(EngineSession Session) : EngineCommand;
}
