namespace InferenceCluster.Worker.Receiving;

/// <summary>Ends the worker process so that its supervisor (Kubernetes, docker compose) starts it again.</summary>
internal interface IWorkerRestart
{
    /// <summary>Asks the process to stop (draining as on SIGTERM) and to exit with <see cref="ExitForRestart.ExitCode"/>.</summary>
    void Request();
}
