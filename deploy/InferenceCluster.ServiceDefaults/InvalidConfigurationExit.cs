using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// In the hosting namespace so that Program.cs finds it without a using, as with the framework's own Run.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs a service (the gateway or a worker) and tells its supervisor why it ended by the exit code:
/// <see cref="ExitCode"/> (78, EX_CONFIG of sysexits.h) when a setting is invalid, which a restart would not mend
/// (deploy/local/supervise.sh never restarts on it; compose and Kubernetes restart it with a growing back-off), with one
/// line naming the setting and never its value; <see cref="RestartExitCode"/> (75) with one line when a check before the
/// start (<see cref="IStartupCheck"/>) failed for a reason a restart may mend; otherwise the code of
/// <see cref="ServiceExit.RunForExitCode"/>: 75 when a worker asks to be started again, 70 when a background service
/// failed, 0 after a stop.
/// </summary>
public static class InvalidConfigurationExit
{
    /// <summary>EX_CONFIG: a setting is invalid; distinct from a request to be restarted (75), a crash (134) and a kill (137).</summary>
    public const int ExitCode = 78;

    /// <summary>EX_TEMPFAIL: the service could not start for a reason a restart may mend; its supervisor starts it again.</summary>
    public const int RestartExitCode = 75;

    /// <summary>Builds the host with <paramref name="build"/> and runs it; the process's exit code.</summary>
    public static int Run(Func<IHost> build, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            var host = build();
            ValidateSettings(host);
            return host.RunForExitCode();
        }
        catch (Exception exception) when (IsInvalidSetting(exception))
        {
            // The host has logged the failure to start already, when it got that far; this line is the one an operator
            // looking at the exit code needs.
            (error ?? Console.Error).WriteLine(
                $"Invalid configuration: {exception.Message} The process exits with {ExitCode} (EX_CONFIG) and is not to be restarted until the setting is fixed.");
            return ExitCode;
        }
        catch (RestartableStartException exception)
        {
            (error ?? Console.Error).WriteLine(
                $"Cannot start: {exception.Message} The process exits with {RestartExitCode} (EX_TEMPFAIL) for its supervisor to start it again.");
            return RestartExitCode;
        }
    }

    /// <summary>
    /// The settings validated at start (<c>ValidateOnStart</c>), then the service's <see cref="IStartupCheck"/>s, done
    /// before the host starts: the host validates the settings too, but logs a failure with its whole stack trace, a
    /// hundred lines above the one that names the setting.
    /// </summary>
    private static void ValidateSettings(IHost host)
    {
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
            foreach (var check in host.Services.GetServices<IStartupCheck>())
            {
                check.Check();
            }
        }
        catch (Exception exception) when (IsInvalidSetting(exception) || exception is RestartableStartException)
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A validation failure of options (a value of the wrong type too, bound by <see cref="InferenceCluster.Settings.SettingBinding"/>), a setting
    /// that was refused, or several of them at once.
    /// </summary>
    internal static bool IsInvalidSetting(Exception exception) => exception switch
    {
        OptionsValidationException or InvalidSettingException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsInvalidSetting),
        _ => false,
    };
}
