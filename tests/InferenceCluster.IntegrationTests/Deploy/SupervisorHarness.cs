using System.Diagnostics;
using System.Globalization;
using InferenceCluster.IntegrationTests.Drills;
using Xunit;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// Runs deploy/local/supervise.sh over small commands in a folder of its own and tells how each run ended; kills what a
/// failed test left running and deletes the folder when disposed.
/// </summary>
internal sealed class SupervisorHarness : IDisposable
{
    /// <summary>Generous: the tests wait on purpose a few seconds at most, but a loaded machine starts processes slowly.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-supervise.").FullName;

    /// <summary>Each supervisor's standard output and error, read while it runs.</summary>
    private readonly Dictionary<int, (Task<string> Out, Task<string> Error)> _output = [];

    private readonly List<Process> _started = [];

    /// <summary>The folder the commands, their exit codes and the supervisor's state file are in.</summary>
    internal string Dir => _dir;

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

    /// <summary>A command that exits with the next of <paramref name="codes"/> on each run (a negative code: killed by that signal).</summary>
    internal string[] Exits(params int[] codes)
    {
        File.WriteAllLines(Path.Combine(_dir, "codes"), codes.Select(code => code.ToString(CultureInfo.InvariantCulture)));
        return Script(
            $"n=$(( $(cat '{_dir}/runs' 2>/dev/null || echo 0) + 1 )); echo $n > '{_dir}/runs'",
            $"code=$(sed -n \"${{n}}p\" '{_dir}/codes')",
            // Exit codes above 128 are deaths by a signal: die by it, as a crashing process does.
            "if [ \"${code:-0}\" -gt 128 ]; then kill -$((code - 128)) $$; fi",
            "exit ${code:-0}");
    }

    internal string[] Script(params string[] lines)
    {
        var path = Path.Combine(_dir, $"command-{Guid.NewGuid():N}.sh");
        File.WriteAllLines(path, ["#!/usr/bin/env bash", .. lines]);
        return ["bash", path];
    }

    internal async Task<SupervisedRun> SuperviseAsync(string[] command, params (string Name, string Value)[] environment)
    {
        var supervisor = Start(command, environment);
        return await EndAsync(supervisor);
    }

    internal Process Start(string[] command, params (string Name, string Value)[] environment)
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

    internal async Task<SupervisedRun> EndAsync(Process supervisor)
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

    /// <summary>Sends SIGTERM to <paramref name="supervisor"/>, as `cluster.sh down` does.</summary>
    internal static async Task TerminateAsync(Process supervisor)
    {
        using var kill = Process.Start("kill", ["-TERM", supervisor.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    internal static async Task WaitForAsync(Func<bool> condition, Process supervisor, string what)
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
