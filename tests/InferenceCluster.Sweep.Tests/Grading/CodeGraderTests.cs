using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Tests.Grading;

public sealed class CodeGraderTests
{
    private static readonly SuiteCase Case = new()
    {
        Id = "c",
        Category = CaseCategory.Code,
        Prompt = "Write add(a, b).",
        Tests = [new CodeTest("add(2, 3)", "5"), new CodeTest("add(-1, 1)", "0")],
    };

    // A grading run's bound: generous, since a loaded machine can take seconds to start Python, and only the infinite-loop
    // test waits for the bound to pass (with a grader of its own).
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly CodeGrader Grader = new(new PythonSandbox("python3", Patience, 2));

    private static Task<GradeResult> Grade(string answer) => Grader.GradeAsync(Case, answer, CancellationToken.None);

    [Fact]
    public async Task GradeAsync_CorrectFunction_Passes()
    {
        var r = await Grade("Here:\n```python\ndef add(a, b):\n    print('noise on stdout')\n    return a + b\n```\nDone.");
        Assert.True(r.Passed, r.Reason);
    }

    [Fact]
    public async Task GradeAsync_WrongOutput_FailsNamingTheTest()
    {
        var r = await Grade("```python\ndef add(a, b):\n    return a - b\n```");
        Assert.Equal("wrong output", r.Problem);
        Assert.Contains("add(2, 3)", r.Detail);
        Assert.Contains("-1", r.Detail);
    }

    [Fact]
    public async Task GradeAsync_SyntaxError_FailsSyntaxError()
    {
        var r = await Grade("```python\ndef add(a, b)\n    return a + b\n```");
        Assert.Equal("syntax error", r.Problem);
        Assert.Contains("line 1", r.Detail);
    }

    [Fact]
    public async Task GradeAsync_Exception_FailsException()
    {
        var r = await Grade("```python\ndef add(a, b):\n    raise ValueError('boom')\n```");
        Assert.Equal("exception", r.Problem);
        Assert.Contains("ValueError: boom", r.Detail);
    }

    [Fact]
    public async Task GradeAsync_InfiniteLoop_FailsTimeoutAndIsKilled()
    {
        var impatient = new CodeGrader(new PythonSandbox("python3", TimeSpan.FromSeconds(3), 2));
        var started = DateTime.UtcNow;
        var r = await impatient.GradeAsync(Case, "```python\ndef add(a, b):\n    while True:\n        pass\n```", CancellationToken.None);
        Assert.Equal("timeout", r.Problem);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task GradeAsync_NetworkAccess_IsBlocked()
    {
        var r = await Grade("```python\nimport socket\ndef add(a, b):\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n    return a + b\n```");
        Assert.Equal("exception", r.Problem);
        Assert.Contains("Error", r.Detail);
    }

    [Fact]
    public async Task GradeAsync_NoCodeBlock_FailsNoCodeBlock()
    {
        Assert.Equal("no code block", (await Grade("def add(a, b): return a + b")).Problem);
    }

    [Fact]
    public async Task GradeAsync_ExitCall_IsAnExceptionNotAPass()
    {
        var r = await Grade("```python\nimport sys\nsys.exit(0)\n```");
        Assert.Equal("exception", r.Problem);
    }

    [Fact]
    public void FirstPythonBlock_ShellBlockFirst_TakesThePythonOne()
    {
        var code = CodeGrader.FirstPythonBlock("```bash\necho hi\n```\n```python\nx = 1\n```\n```python\ny = 2\n```");
        Assert.Equal("x = 1\n", code);
    }

    [Fact]
    public async Task ModeAsync_OnThisMachine_IsTheStrongestIsolationThatWorksHere()
    {
        var mode = await new PythonSandbox("python3", Patience, 1).ModeAsync();

        // The probe must pick the first mode that actually works on this machine, never a weaker one.
        var expected = Works("unshare", "-rn", "true") ? SandboxMode.UserNetworkNamespace
            : Works("unshare", "-n", "true") ? SandboxMode.NetworkNamespace
            : SandboxMode.SocketGuardOnly;
        Assert.Equal(expected, mode);
    }

    private static bool Works(string file, params string[] args)
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit(20_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public async Task GradeAsync_SocketGuardOnly_CannotReachAListeningLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var guardOnly = new CodeGrader(new PythonSandbox("python3", Patience, 1, SandboxMode.SocketGuardOnly));
        var answer = $"```python\nimport socket\ndef add(a, b):\n    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()\n    return a + b\n```";

        var r = await guardOnly.GradeAsync(Case, answer, CancellationToken.None);

        Assert.Equal("exception", r.Problem);
        Assert.Contains("network access is disabled while grading", r.Detail);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task GradeAsync_MissingInterpreter_ThrowsNamingThePythonOption()
    {
        var missing = new CodeGrader(new PythonSandbox("/nonexistent/python3", TimeSpan.FromSeconds(5), 1, SandboxMode.SocketGuardOnly));
        var e = await Assert.ThrowsAsync<IOException>(() => missing.GradeAsync(Case, "```python\nx = 1\n```", CancellationToken.None));
        Assert.Contains("--python", e.Message);
    }
}
