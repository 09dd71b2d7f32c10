using System.Text.RegularExpressions;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Grading;

/// <summary>Runs the answer's first Python code block against the case's tests.</summary>
internal sealed partial class CodeGrader(PythonSandbox sandbox)
{
    /// <summary>Grades the answer text (reasoning already removed).</summary>
    public async Task<GradeResult> GradeAsync(SuiteCase c, string answer, CancellationToken ct)
    {
        var code = FirstPythonBlock(answer);
        return code is null
            ? GradeResult.Fail("no code block", "the answer has no fenced Python code block")
            : await sandbox.RunAsync(code, c.Tests, ct).ConfigureAwait(false);
    }

    /// <summary>The first block fenced as python/py/python3, else the first unlabelled block; null if none is closed.</summary>
    public static string? FirstPythonBlock(string answer)
    {
        string? unlabelled = null;
        foreach (Match m in Fence().Matches(answer))
        {
            var lang = m.Groups[1].Value.Trim().ToLowerInvariant();
            if (lang is "python" or "py" or "python3")
            {
                return m.Groups[2].Value;
            }

            if (lang.Length == 0)
            {
                unlabelled ??= m.Groups[2].Value;
            }
        }

        return unlabelled;
    }

    [GeneratedRegex(@"```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();
}
