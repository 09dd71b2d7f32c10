namespace InferenceCluster.Worker.EngineWatch;

/// <summary>Ends the worker process at once, without the stop a SIGTERM begins.</summary>
internal interface IProcessEnd
{
    /// <summary>Ends the process with <paramref name="exitCode"/>; returns only where nothing really ends (tests).</summary>
    void Now(int exitCode);
}
