using System.Diagnostics;
using System.Text.Json;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// Runs candidate Python code in a subprocess with a timeout, inside an empty network namespace when
/// the machine allows one, and with sockets blocked by the harness in every case.
/// </summary>
/// <param name="python">Interpreter to run.</param>
/// <param name="timeout">Time one run may take.</param>
/// <param name="parallelism">Most runs at once.</param>
/// <param name="mode">Forces an isolation mode (tests of the socket guard); null probes for the strongest.</param>
internal sealed class PythonSandbox(string python, TimeSpan timeout, int parallelism, SandboxMode? mode = null)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, parallelism));
    private readonly Lazy<Task<SandboxMode>> _mode = new(() => mode is { } m ? Task.FromResult(m) : ProbeAsync(python));

    /// <summary>The isolation in use, found once by trying it.</summary>
    public Task<SandboxMode> ModeAsync() => _mode.Value;

    /// <summary>Runs <paramref name="source"/> against the tests and returns the verdict.</summary>
    public async Task<GradeResult> RunAsync(string source, IReadOnlyList<CodeTest> tests, CancellationToken ct)
    {
        var isolation = await _mode.Value.ConfigureAwait(false);
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        var dir = Directory.CreateTempSubdirectory("sweep-code-");
        try
        {
            var solution = Path.Combine(dir.FullName, "solution.py");
            var harness = Path.Combine(dir.FullName, "harness.py");
            var testsFile = Path.Combine(dir.FullName, "tests.json");
            var result = Path.Combine(dir.FullName, "result.json");
            await File.WriteAllTextAsync(solution, source, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(harness, PythonHarness.Script, ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(testsFile, JsonSerializer.Serialize(tests.Select(t => new { call = t.Call, expected = t.Expected })), ct).ConfigureAwait(false);

            int exit;
            bool timedOut;
            string stderr;
            try
            {
                (exit, timedOut, stderr) = await RunProcessAsync(Command(isolation, python, ["-I", harness, solution, testsFile, result]), dir.FullName, timeout, ct).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new IOException($"--python: cannot start '{python}' to grade code answers: {e.Message}", e);
            }

            if (timedOut)
            {
                return GradeResult.Fail("timeout", $"still running after {timeout.TotalSeconds:0.#} s");
            }

            if (!File.Exists(result))
            {
                return GradeResult.Fail("exception", $"process exited with code {exit} without a verdict: {Tail(stderr)}");
            }

            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(result, ct).ConfigureAwait(false));
            var kind = doc.RootElement.GetProperty("kind").GetString() ?? "exception";
            var detail = doc.RootElement.GetProperty("detail").GetString() ?? "";
            return kind == "ok" ? GradeResult.Pass(detail) : GradeResult.Fail(kind, detail);
        }
        finally
        {
            _slots.Release();
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; the verdict matters more.
            }
        }
    }

    private static string[] Command(SandboxMode mode, string python, string[] args) => mode switch
    {
        SandboxMode.UserNetworkNamespace => ["unshare", "-rn", python, .. args],
        SandboxMode.NetworkNamespace => ["unshare", "-n", python, .. args],
        _ => [python, .. args],
    };

    private static async Task<SandboxMode> ProbeAsync(string python)
    {
        foreach (var mode in new[] { SandboxMode.UserNetworkNamespace, SandboxMode.NetworkNamespace })
        {
            try
            {
                var (exit, timedOut, _) = await RunProcessAsync(Command(mode, python, ["-c", "pass"]), Path.GetTempPath(), TimeSpan.FromSeconds(20), CancellationToken.None).ConfigureAwait(false);
                if (!timedOut && exit == 0)
                {
                    return mode;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // unshare is not installed; try the next mode.
            }
        }

        return SandboxMode.SocketGuardOnly;
    }

    private static async Task<(int Exit, bool TimedOut, string Stderr)> RunProcessAsync(string[] command, string workDir, TimeSpan limit, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        // Proxy settings would be a way out of the sandbox when no namespace is available.
        foreach (var v in new[] { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" })
        {
            psi.Environment.Remove(v);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        process.StandardInput.Close();
        // A candidate printing in a loop must not fill memory: stdout is discarded, stderr kept short.
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var stderr = ReadCappedAsync(process.StandardError.BaseStream);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return (-1, true, "");
        }

        await stdout.ConfigureAwait(false);
        return (process.ExitCode, false, await stderr.ConfigureAwait(false));
    }

    private static async Task<string> ReadCappedAsync(Stream stream)
    {
        var kept = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < 8192)
            {
                kept.Write(buffer, 0, n);
            }
        }

        return System.Text.Encoding.UTF8.GetString(kept.ToArray());
    }

    private static string Tail(string s) => s.Length <= 300 ? s.Trim() : s[^300..].Trim();
}
