using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Grading;

/// <summary>Picks the grader of a case's category and hands it the answer (reasoning already removed, see <see cref="AnswerText"/>).</summary>
internal sealed class AnswerGrader(CodeGrader code)
{
    /// <summary>Grades the answer of one completion.</summary>
    public Task<GradeResult> GradeAsync(SuiteCase c, string answer, CancellationToken ct)
    {
        return c.Category switch
        {
            CaseCategory.Math => Task.FromResult(MathGrader.Grade(c, answer)),
            CaseCategory.Logic => Task.FromResult(LogicGrader.Grade(c, answer)),
            CaseCategory.Code => code.GradeAsync(c, answer, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Category, "unknown category"),
        };
    }
}
