using Microsoft.Extensions.Logging;

namespace InferenceCluster.Worker.EngineWatch;

/// <summary>
/// Ends the process at once, as a kill does, but with an exit code and with what was logged written out: the
/// operating system closes its sockets, so the broker sees its connection close and redelivers the requests it held
/// unacknowledged, as after a SIGKILL. A stop of the host would not end: it waits for requests a hung engine never
/// ends, then for the engine's thread to stop.
/// </summary>
internal sealed class ImmediateExit(IEnumerable<ILoggerProvider> loggers) : IProcessEnd
{
    public void Now(int exitCode)
    {
        // Providers such as the console's write from a queue of their own; disposing one writes what it still holds.
        foreach (var logger in loggers)
        {
            try
            {
                logger.Dispose();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // Exiting matters more than a log line.
            }
        }

        Environment.Exit(exitCode);
    }
}
