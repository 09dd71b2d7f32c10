using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Grading;

/// <summary>Picks the grader of a case's category and hands it the answer without its reasoning.</summary>
internal sealed class AnswerGrader(CodeGrader code, ReasoningStart reasoning)
{
    /// <summary>Grades the raw message content of one completion.</summary>
    public Task<GradeResult> GradeAsync(SuiteCase c, string content, CancellationToken ct)
    {
        var answer = AnswerText.Extract(content, reasoning);
        return c.Category switch
        {
            CaseCategory.Math => Task.FromResult(MathGrader.Grade(c, answer)),
            CaseCategory.Logic => Task.FromResult(LogicGrader.Grade(c, answer)),
            CaseCategory.Code => code.GradeAsync(c, answer, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Category, "unknown category"),
        };
    }
}
