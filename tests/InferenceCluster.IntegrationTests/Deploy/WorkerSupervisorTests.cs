using System.Text.RegularExpressions;
using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// deploy/local/supervise.sh, which the local cluster runs each worker under: a worker that asks to be started again
/// (75) or crashes is, one whose settings are invalid (78) is not, crashes in a row end in giving up, and 75s in a row
/// are backed off as crashes are. The commands are small scripts that exit as told, run by run (SupervisorHarness), and
/// two tests run the real worker.
/// </summary>
public sealed class WorkerSupervisorTests : IDisposable
{
    private readonly SupervisorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Supervise_CommandAsksForRestart_StartsItAgainUntilItStops()
    {
        var run = await _harness.SuperviseAsync(_harness.Exits(75, 75, 0));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 3, run.ToString());
    }

    [Fact]
    public async Task Supervise_RestartRequestsInARow_BacksOffAfterTheFirst()
    {
        // A fault a restart does not mend made the worker exit 75 about every 70 s, each time started again at once; one
        // that made it exit at once spun. Back-offs of 1 s (the cap): the test waits 2 s, and counts, not times, them.
        var run = await _harness.SuperviseAsync(_harness.Exits(75, 75, 75, 0), ("SUPERVISE_BACKOFF", "1"), ("SUPERVISE_BACKOFF_MAX", "1"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 4, run.ToString());
        Assert.True(Regex.Count(run.Output, "starting it again at once") == 1, run.ToString());
        Assert.True(Regex.Count(run.Output, "[23] times in a row within 600s: the fault outlasts a restart; starting it again in 1s") == 2, run.ToString());
    }

    [Fact]
    public async Task Supervise_RestartRequestsOutsideTheWindow_EachStartedAgainAtOnce()
    {
        // With a window of 0 no 75 follows another within it; a back-off, of 600 s, would outlast the test's patience.
        var run = await _harness.SuperviseAsync(_harness.Exits(75, 75, 75, 0), ("SUPERVISE_BACKOFF", "600"), ("SUPERVISE_RESTART_WINDOW", "0"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 4, run.ToString());
        Assert.True(Regex.Count(run.Output, "starting it again at once") == 3, run.ToString());
    }

    [Fact]
    public async Task Supervise_TerminatedWhileBackingOffAfterRestartRequests_DoesNotStartItAgain()
    {
        var supervisor = _harness.Start(_harness.Exits(75, 75, 0), ("SUPERVISE_BACKOFF", "600"), ("SUPERVISE_BACKOFF_MAX", "600"));
        var state = Path.Combine(_harness.Dir, "state");
        await SupervisorHarness.WaitForAsync(
            () => File.Exists(state) && File.ReadAllText(state).Contains("starting again in 600s", StringComparison.Ordinal), supervisor, "the back-off");

        await SupervisorHarness.TerminateAsync(supervisor);
        var run = await _harness.EndAsync(supervisor);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 2, run.ToString());
        Assert.Contains("stopped while waiting to start the command again", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_CommandCrashes_StartsItAgain()
    {
        // 137: killed with SIGKILL, as by the OOM killer; 134: an unhandled exception.
        var run = await _harness.SuperviseAsync(_harness.Exits(137, 134, 0));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 3, run.ToString());
    }

    [Fact]
    public async Task Supervise_InvalidConfiguration_DoesNotStartItAgain()
    {
        var run = await _harness.SuperviseAsync(_harness.Exits(78, 0));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.True(run.Runs == 1, run.ToString());
        Assert.Contains("invalid configuration", run.State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_CrashesInARow_GivesUpAfterTheCap()
    {
        var run = await _harness.SuperviseAsync(_harness.Exits(1, 1, 1, 1, 1, 1, 1, 1), ("SUPERVISE_RESTARTS", "3"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(run.Runs == 4, run.ToString());
        Assert.Contains("gave up after 3 restarts", run.State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_RestartRequestsBetweenCrashes_DoNotCountTowardsTheCap()
    {
        // Each 75 shows the worker ran; the crash count starts again after it.
        var run = await _harness.SuperviseAsync(_harness.Exits(1, 1, 75, 1, 1, 75, 0), ("SUPERVISE_RESTARTS", "2"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 7, run.ToString());
    }

    [Fact]
    public async Task Supervise_SettingNotANumber_Exits78NamingIt()
    {
        // Such a value made every comparison fail, and the supervisor restarted a crashing command for ever.
        var run = await _harness.SuperviseAsync(_harness.Exits(1, 1, 1), ("SUPERVISE_RESTARTS", "many"));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.True(run.Runs == 0, run.ToString());
        Assert.Contains("SUPERVISE_RESTARTS", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_SettingWithALeadingZero_ReadAsDecimal()
    {
        // Bash arithmetic took 08 for an octal number and stopped the supervisor at the first crash, the command left down.
        var run = await _harness.SuperviseAsync(_harness.Exits(1, 0), ("SUPERVISE_BACKOFF", "08"), ("SUPERVISE_BACKOFF_MAX", "00"), ("SUPERVISE_RESTARTS", "09"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 2, run.ToString());
    }

    [Fact]
    public async Task Supervise_BackOffAboveItsCap_WaitsNoLongerThanTheCap()
    {
        // Uncapped, the first wait would be the 600 s asked for, far past the test's patience.
        var run = await _harness.SuperviseAsync(_harness.Exits(1, 0), ("SUPERVISE_BACKOFF", "600"), ("SUPERVISE_BACKOFF_MAX", "0"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 2, run.ToString());
        Assert.Contains("starting it again in 0s", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_Terminated_PassesItOnAndDoesNotStartItAgain()
    {
        // The command drains on SIGTERM and then even asks to be started again: a supervisor told to stop does not.
        var started = Path.Combine(_harness.Dir, "started");
        var command = _harness.Script(
            $"trap 'echo drained > \"{_harness.Dir}/drained\"; exit 75' TERM",
            $"touch '{started}'",
            "while :; do sleep 0.1; done");
        var supervisor = _harness.Start(command);
        await SupervisorHarness.WaitForAsync(() => File.Exists(started), supervisor, "the command to start");

        await SupervisorHarness.TerminateAsync(supervisor);
        var run = await _harness.EndAsync(supervisor);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(_harness.Dir, "drained")), $"the command was not told to stop\n{run}");
        Assert.DoesNotContain("starting it again", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_WorkerWithInvalidSetting_RunsItOnceAndExits78()
    {
        var run = await _harness.SuperviseAsync(
            ["dotnet", RepositoryPaths.Worker],
            ("ConnectionStrings__rabbitmq", "amqp://guest:guest@127.0.0.1:1/"),
            ("Worker__HeartbeatInterval", "00:00:00"),
            ("Inference__ExecutionProvider", "simulated"));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.Contains("Worker:HeartbeatInterval", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("starting it again", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_WorkerWithoutBroker_RunsItOnceAndExits78()
    {
        var run = await _harness.SuperviseAsync(["dotnet", RepositoryPaths.Worker], ("ConnectionStrings__rabbitmq", string.Empty));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.Contains("ConnectionStrings__rabbitmq", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("starting it again", run.Output, StringComparison.Ordinal);
    }
}
