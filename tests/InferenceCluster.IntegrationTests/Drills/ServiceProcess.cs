using System.Collections.Concurrent;
using System.Diagnostics;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// One service (worker or gateway) running as its own operating-system process from its build output, so a
/// drill can kill it as an operator or the kernel would: SIGKILL leaves no chance to clean up, SIGTERM asks
/// it to drain. Its console output is kept, for the drill to wait on and to show when a drill fails.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(DateTime At, string Line)> _lines = new();
    private readonly StreamWriter? _log;
    private bool _logClosed;
    private volatile bool _stopAsked;

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;

        // A rare drill failure needs the whole log of every process, not the last lines the assertion shows.
        if (Environment.GetEnvironmentVariable("CLUSTER_TEST_LOG_DIR") is { Length: > 0 } logDir)
        {
            Directory.CreateDirectory(logDir);
            _log = new StreamWriter(Path.Combine(logDir, $"{DateTime.UtcNow:HHmmss}-{name}-{process.Id}.log")) { AutoFlush = true };
        }

        _process.OutputDataReceived += (_, line) => Record(line.Data);
        _process.ErrorDataReceived += (_, line) => Record(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The process has ended without a drill asking it to (<see cref="Kill"/>, <see cref="Terminate"/>): a bad setting, a crash.</summary>
    public bool ExitedUnasked => !_stopAsked && _process.HasExited;

    /// <summary>When the process wrote the first line containing <paramref name="text"/>, or null.</summary>
    public DateTime? FirstAt(string text) => _lines.FirstOrDefault(entry => entry.Line.Contains(text, StringComparison.Ordinal)).At is var at && at != default ? at : null;

    /// <summary>When the process first wrote a line containing <paramref name="text"/> at or after <paramref name="since"/>, or null.</summary>
    public DateTime? FirstSince(string text, DateTime since) =>
        _lines.FirstOrDefault(entry => entry.At >= since && entry.Line.Contains(text, StringComparison.Ordinal)).At is var at && at != default ? at : null;

    /// <summary>When the process wrote the last line containing <paramref name="text"/>, or null.</summary>
    public DateTime? LastAt(string text) => _lines.LastOrDefault(entry => entry.Line.Contains(text, StringComparison.Ordinal)).At is var at && at != default ? at : null;

    /// <summary>Starts <c>dotnet {assembly}</c> with the given settings as environment variables.</summary>
    public static ServiceProcess Start(string name, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{name}: {assembly} is not built; build the solution (scripts/test.sh does) before the drills.", assembly);
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(assembly)! };
        start.ArgumentList.Add(assembly);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Start(name, start);
    }

    /// <summary>Starts <paramref name="start"/>'s program with its output kept.</summary>
    public static ServiceProcess Start(string name, ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return new ServiceProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"{name}: {start.FileName} did not start."));
    }

    /// <summary>
    /// Waits for <paramref name="wait"/>, but fails as soon as one of <paramref name="processes"/> (asked again every
    /// tenth of a second) has exited unasked, naming its exit code and last lines: a worker that a bad setting stops at
    /// start ends a drill's wait at once, where the wait (for a listing, a line) would have run its whole patience and
    /// said only that nothing came.
    /// </summary>
    public static async Task<T> UnlessOneExitsAsync<T>(Func<IEnumerable<ServiceProcess>> processes, string waitingFor, Func<CancellationToken, Task<T>> wait)
    {
        using var stop = new CancellationTokenSource();
        var waiting = wait(stop.Token);
        while (await Task.WhenAny(waiting, Task.Delay(100)) != waiting)
        {
            if (processes().FirstOrDefault(process => process.ExitedUnasked) is { } exited)
            {
                await stop.CancelAsync();
                await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(5)));

                // Its last lines may still be on their way through the pipes.
                await exited.WaitForExitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"{exited.Name} exited with code {exited.ExitCode} while {waitingFor}.\n{exited.Output(30)}");
            }
        }

        return await waiting;
    }

    /// <summary>SIGKILL: the process ends at once, holding whatever it had.</summary>
    public void Kill()
    {
        _stopAsked = true;
        _process.Kill(entireProcessTree: true);
    }

    /// <summary>SIGTERM: what Kubernetes and systemd send first, asking the process to drain and stop.</summary>
    public void Terminate()
    {
        _stopAsked = true;
        Signal("TERM");
    }

    /// <summary>SIGSTOP: the process stays alive with its connections open, but runs no more, answering nothing.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: a frozen process runs again.</summary>
    public void Thaw() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        kill?.WaitForExit();
    }

    /// <summary>Waits for the process to end; false when it was still running after <paramref name="patience"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The first output line (past or future) that contains <paramref name="text"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < patience)
        {
            if (_lines.Select(entry => entry.Line).FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } found)
            {
                return found;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}'.\n{Output()}");
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"{Name} did not print '{text}' within {patience.TotalSeconds:0} s.\n{Output()}");
    }

    /// <summary>When the process first wrote (or writes) a line containing <paramref name="text"/> at or after <paramref name="since"/>.</summary>
    public async Task<DateTime> WaitForLineSinceAsync(string text, DateTime since, TimeSpan patience)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < patience)
        {
            if (FirstSince(text, since) is { } at)
            {
                return at;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before printing '{text}'.\n{Output()}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} did not print '{text}' within {patience.TotalSeconds:0} s.\n{Output()}");
    }

    /// <summary>How many output lines contain <paramref name="text"/>.</summary>
    public int Count(string text) => _lines.Count(entry => entry.Line.Contains(text, StringComparison.Ordinal));

    /// <summary>How many output lines written after <paramref name="since"/> contain <paramref name="text"/>.</summary>
    public int CountSince(string text, DateTime since) =>
        _lines.Count(entry => entry.At >= since && entry.Line.Contains(text, StringComparison.Ordinal));

    /// <summary>The last lines of output, for a failure message.</summary>
    public string Output(int last = 60) => $"--- {Name} (last {last} lines) ---\n" + string.Join('\n', _lines.TakeLast(last).Select(entry => entry.Line));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _logClosed = true;
                _log.Dispose();
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue((DateTime.UtcNow, line));
        if (_log is not null)
        {
            lock (_log)
            {
                if (!_logClosed)
                {
                    _log.WriteLine(line);
                }
            }
        }

        if (Cluster.ClusterFixture.ShowLogs)
        {
            Console.WriteLine($"[{Name}] {line}");
        }
    }
}
