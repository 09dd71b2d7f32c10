namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// The Python script that runs a candidate solution. It blocks sockets and caps memory and file
/// size before the candidate runs, compiles it separately so a syntax error is told apart from a
/// runtime error, and writes its verdict to a file because the candidate owns stdout.
/// </summary>
internal static class PythonHarness
{
    public const string Script = """
        import json, sys
        result_path = sys.argv[3]

        def finish(kind, detail=""):
            with open(result_path, "w", encoding="utf-8") as f:
                json.dump({"kind": kind, "detail": detail[:500]}, f)
            sys.stdout.flush()
            import os
            os._exit(0)

        # Second line of defence behind the network namespace: a subclass keeps `class X(socket.socket)` importable.
        import socket, _socket
        class _NoNetwork(_socket.socket):
            def __init__(self, *args, **kwargs):
                raise OSError("network access is disabled while grading")
        def _no_network(*args, **kwargs):
            raise OSError("network access is disabled while grading")
        socket.socket = _NoNetwork
        _socket.socket = _NoNetwork
        for name in ("create_connection", "create_server", "getaddrinfo", "gethostbyname", "socketpair", "fromfd"):
            if hasattr(socket, name):
                setattr(socket, name, _no_network)

        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 24, 1 << 24))
        except (ImportError, ValueError, OSError):
            pass

        with open(sys.argv[1], encoding="utf-8") as f:
            source = f.read()
        with open(sys.argv[2], encoding="utf-8") as f:
            tests = json.load(f)

        try:
            code = compile(source, "solution.py", "exec")
        except (SyntaxError, ValueError) as e:
            finish("syntax error", f"line {getattr(e, 'lineno', '?')}: {getattr(e, 'msg', str(e))}")

        scope = {"__name__": "solution"}
        try:
            exec(code, scope)
        except BaseException as e:
            finish("exception", f"while loading: {type(e).__name__}: {e}")

        for i, test in enumerate(tests, 1):
            try:
                got = eval(test["call"], scope)
            except BaseException as e:
                finish("exception", f"test {i} {test['call']}: {type(e).__name__}: {e}")
            expected = eval(test["expected"], {})
            if got != expected:
                finish("wrong output", f"test {i} {test['call']}: got {got!r}, expected {expected!r}")

        finish("ok", f"{len(tests)} tests passed")
        """;
}
