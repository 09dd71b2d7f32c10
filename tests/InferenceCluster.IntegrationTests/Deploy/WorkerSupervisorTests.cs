using System.Diagnostics;
using System.Globalization;
using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// deploy/local/supervise.sh, which the local cluster runs each worker under: a worker that asks to be started again
/// (75) or crashes is, one whose settings are invalid (78) is not, and crashes in a row end in giving up. The commands
/// are small scripts that exit as told, run by run, and one test runs the real worker with an invalid setting.
/// </summary>
public sealed class WorkerSupervisorTests : IDisposable
{
    /// <summary>Generous: nothing here waits on purpose (no back-off), but a loaded machine starts processes slowly.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-supervise.").FullName;

    /// <summary>Each supervisor's standard output and error, read while it runs.</summary>
    private readonly Dictionary<int, (Task<string> Out, Task<string> Error)> _output = [];

    private readonly List<Process> _started = [];

    public void Dispose()
    {
        // A test that failed half-way leaves its supervisor and command running: they would write into the folder.
        foreach (var supervisor in _started)
        {
            if (!supervisor.HasExited)
            {
                supervisor.Kill(entireProcessTree: true);
                supervisor.WaitForExit();
            }

            supervisor.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Supervise_CommandAsksForRestart_StartsItAgainUntilItStops()
    {
        var run = await SuperviseAsync(Exits(75, 75, 0));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 3, run.ToString());
    }

    [Fact]
    public async Task Supervise_CommandCrashes_StartsItAgain()
    {
        // 137: killed with SIGKILL, as by the OOM killer; 134: an unhandled exception.
        var run = await SuperviseAsync(Exits(137, 134, 0));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 3, run.ToString());
    }

    [Fact]
    public async Task Supervise_InvalidConfiguration_DoesNotStartItAgain()
    {
        var run = await SuperviseAsync(Exits(78, 0));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.True(run.Runs == 1, run.ToString());
        Assert.Contains("invalid configuration", run.State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_CrashesInARow_GivesUpAfterTheCap()
    {
        var run = await SuperviseAsync(Exits(1, 1, 1, 1, 1, 1, 1, 1), ("SUPERVISE_RESTARTS", "3"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.True(run.Runs == 4, run.ToString());
        Assert.Contains("gave up after 3 restarts", run.State, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_RestartRequestsBetweenCrashes_DoNotCountTowardsTheCap()
    {
        // Each 75 shows the worker ran; the crash count starts again after it.
        var run = await SuperviseAsync(Exits(1, 1, 75, 1, 1, 75, 0), ("SUPERVISE_RESTARTS", "2"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 7, run.ToString());
    }

    [Fact]
    public async Task Supervise_SettingNotANumber_Exits78NamingIt()
    {
        // Such a value made every comparison fail, and the supervisor restarted a crashing command for ever.
        var run = await SuperviseAsync(Exits(1, 1, 1), ("SUPERVISE_RESTARTS", "many"));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.True(run.Runs == 0, run.ToString());
        Assert.Contains("SUPERVISE_RESTARTS", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_SettingWithALeadingZero_ReadAsDecimal()
    {
        // Bash arithmetic took 08 for an octal number and stopped the supervisor at the first crash, the command left down.
        var run = await SuperviseAsync(Exits(1, 0), ("SUPERVISE_BACKOFF", "08"), ("SUPERVISE_BACKOFF_MAX", "00"), ("SUPERVISE_RESTARTS", "09"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 2, run.ToString());
    }

    [Fact]
    public async Task Supervise_BackOffAboveItsCap_WaitsNoLongerThanTheCap()
    {
        // Uncapped, the first wait would be the 600 s asked for, far past the test's patience.
        var run = await SuperviseAsync(Exits(1, 0), ("SUPERVISE_BACKOFF", "600"), ("SUPERVISE_BACKOFF_MAX", "0"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Runs == 2, run.ToString());
        Assert.Contains("starting it again in 0s", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_Terminated_PassesItOnAndDoesNotStartItAgain()
    {
        // The command drains on SIGTERM and then even asks to be started again: a supervisor told to stop does not.
        var started = Path.Combine(_dir, "started");
        var command = Script(
            $"trap 'echo drained > \"{_dir}/drained\"; exit 75' TERM",
            $"touch '{started}'",
            "while :; do sleep 0.1; done");
        var supervisor = Start(command);
        await WaitForAsync(() => File.Exists(started), supervisor, "the command to start");

        using (var kill = Process.Start("kill", ["-TERM", supervisor.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var run = await EndAsync(supervisor);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(File.Exists(Path.Combine(_dir, "drained")), $"the command was not told to stop\n{run}");
        Assert.DoesNotContain("starting it again", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervise_WorkerWithInvalidSetting_RunsItOnceAndExits78()
    {
        var run = await SuperviseAsync(
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
        var run = await SuperviseAsync(["dotnet", RepositoryPaths.Worker], ("ConnectionStrings__rabbitmq", string.Empty));

        Assert.True(run.ExitCode == 78, run.ToString());
        Assert.Contains("ConnectionStrings__rabbitmq", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("starting it again", run.Output, StringComparison.Ordinal);
    }

    /// <summary>A command that exits with the next of <paramref name="codes"/> on each run (a negative code: killed by that signal).</summary>
    private string[] Exits(params int[] codes)
    {
        File.WriteAllLines(Path.Combine(_dir, "codes"), codes.Select(code => code.ToString(CultureInfo.InvariantCulture)));
        return Script(
            $"n=$(( $(cat '{_dir}/runs' 2>/dev/null || echo 0) + 1 )); echo $n > '{_dir}/runs'",
            $"code=$(sed -n \"${{n}}p\" '{_dir}/codes')",
            // Exit codes above 128 are deaths by a signal: die by it, as a crashing process does.
            "if [ \"${code:-0}\" -gt 128 ]; then kill -$((code - 128)) $$; fi",
            "exit ${code:-0}");
    }

    private string[] Script(params string[] lines)
    {
        var path = Path.Combine(_dir, $"command-{Guid.NewGuid():N}.sh");
        File.WriteAllLines(path, ["#!/usr/bin/env bash", .. lines]);
        return ["bash", path];
    }

    private async Task<SupervisedRun> SuperviseAsync(string[] command, params (string Name, string Value)[] environment)
    {
        var supervisor = Start(command, environment);
        return await EndAsync(supervisor);
    }

    private Process Start(string[] command, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "deploy", "local", "supervise.sh"));
        start.ArgumentList.Add("--state");
        start.ArgumentList.Add(Path.Combine(_dir, "state"));
        start.ArgumentList.Add("--");
        foreach (var part in command)
        {
            start.ArgumentList.Add(part);
        }

        // No back-off: the tests count runs, they do not time them.
        start.Environment["SUPERVISE_BACKOFF"] = "0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        _started.Add(process);
        _output[process.Id] = (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        return process;
    }

    private async Task<SupervisedRun> EndAsync(Process supervisor)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await supervisor.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            supervisor.Kill(entireProcessTree: true);
            throw new TimeoutException($"the supervisor did not end within {Patience.TotalSeconds:0} s");
        }

        var (output, error) = _output[supervisor.Id];
        var runs = File.Exists(Path.Combine(_dir, "runs")) ? int.Parse(File.ReadAllText(Path.Combine(_dir, "runs")).Trim(), CultureInfo.InvariantCulture) : 0;
        var state = File.Exists(Path.Combine(_dir, "state")) ? File.ReadAllText(Path.Combine(_dir, "state")).Trim() : string.Empty;
        return new SupervisedRun(supervisor.ExitCode, runs, state, await output + await error);
    }

    private static async Task WaitForAsync(Func<bool> condition, Process supervisor, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (supervisor.HasExited)
            {
                Assert.Fail($"the supervisor exited ({supervisor.ExitCode}) while waiting for {what}");
            }

            Assert.True(deadline.Elapsed < Patience, $"waited {Patience.TotalSeconds:0} s for {what}");
            await Task.Delay(50);
        }
    }
}
