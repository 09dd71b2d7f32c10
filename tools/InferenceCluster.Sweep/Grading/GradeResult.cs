namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// A grader's verdict. <see cref="Problem"/> is a short failure class used to find a grid point's
/// dominant failure ("wrong answer", "syntax error", …); <see cref="Detail"/> says what exactly.
/// </summary>
internal sealed record GradeResult(bool Passed, string Problem, string Detail)
{
    /// <summary>A pass.</summary>
    public static GradeResult Pass(string detail = "ok") => new(true, "", detail);

    /// <summary>A failure of the given class.</summary>
    public static GradeResult Fail(string problem, string detail) => new(false, problem, detail);

    /// <summary>One line for answers.csv.</summary>
    public string Reason => Passed ? Detail : $"{Problem}: {Detail}";
}
