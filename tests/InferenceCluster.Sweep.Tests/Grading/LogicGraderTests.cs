using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Tests.Grading;

public sealed class LogicGraderTests
{
    private static readonly SuiteCase Case = new()
    {
        Id = "l",
        Category = CaseCategory.Logic,
        Prompt = "All roses are flowers. Some flowers fade quickly. Do some roses fade quickly?",
        Required = [["does not necessarily follow", "does not follow"], ["undistributed middle", "not be roses"]],
        Forbidden = ["necessarily follow", "the argument is valid"],
    };

    [Fact]
    public void Grade_RequiredConclusionAndReason_Passes()
    {
        var r = LogicGrader.Grade(Case, "It **does not necessarily follow**: the flowers that fade may not be roses.");
        Assert.True(r.Passed, r.Reason);
    }

    [Fact]
    public void Grade_ConclusionWithoutReason_FailsMissingConclusion()
    {
        var r = LogicGrader.Grade(Case, "It does not necessarily follow.");
        Assert.Equal("missing conclusion", r.Problem);
        Assert.Contains("undistributed middle", r.Detail);
    }

    [Fact]
    public void Grade_WrongConclusion_FailsMissingConclusion()
    {
        Assert.Equal("missing conclusion", LogicGrader.Grade(Case, "Yes, some roses fade quickly.").Problem);
    }

    [Fact]
    public void Grade_ForbiddenPhraseOutsideRequiredText_FailsForbidden()
    {
        var r = LogicGrader.Grade(Case, "It does not follow, they may not be roses. Still, the argument is valid.");
        Assert.Equal("forbidden conclusion", r.Problem);
        Assert.Contains("the argument is valid", r.Detail);
    }

    [Fact]
    public void Grade_ForbiddenPhraseInsideRequiredPhrase_DoesNotCount()
    {
        // "necessarily follow" is part of the required "does not necessarily follow" and must not trip the forbidden list.
        Assert.True(LogicGrader.Grade(Case, "It does not necessarily follow (undistributed middle).").Passed);
    }
}
