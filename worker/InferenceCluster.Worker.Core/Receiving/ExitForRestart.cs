using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Stops the host as SIGTERM would (requests running get <see cref="WorkerOptions.DrainGrace"/>, the rest stay in the
/// queue or are redelivered) and makes the process exit with <see cref="ExitCode"/>, which tells an operator why.
/// </summary>
internal sealed class ExitForRestart(IHostApplicationLifetime lifetime) : IWorkerRestart
{
    /// <summary>EX_TEMPFAIL of sysexits.h: a temporary failure, to be retried; distinct from a crash (1, 134) and a kill (137, 143).</summary>
    public const int ExitCode = InvalidConfigurationExit.RestartExitCode;

    public void Request()
    {
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();
    }
}
