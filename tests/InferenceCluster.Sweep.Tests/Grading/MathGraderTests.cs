using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Tests.Grading;

public sealed class MathGraderTests
{
    private static readonly SuiteCase Case = new()
    {
        Id = "m", Category = CaseCategory.Math, Prompt = "30th term of 7, 11, 15?", Expected = "123", WorkingAny = ["n-1", "29*4"],
    };

    [Theory]
    [InlineData("a_n = a_1 + (n-1)d, so a_30 = 7 + 29*4 = 123.\n\n\\boxed{123}")]
    [InlineData("Using a_n = a_1 + (n − 1)d: 7 + 29 \\times 4 = 123. The answer is 123.")]
    [InlineData("a_n = 7 + (n-1) \\cdot 4, so a_30 = 7 + 29 \\cdot 4 = 123, final: $\\boxed{\\text{123}}$")]
    public void Grade_CorrectWithWorking_Passes(string answer)
    {
        var r = MathGrader.Grade(Case, answer);
        Assert.True(r.Passed, r.Reason);
    }

    [Theory]
    [InlineData("123")]
    [InlineData("\\boxed{123}")]
    [InlineData("The answer is 123.")]
    public void Grade_BareNumber_FailsNoWorking(string answer)
    {
        var r = MathGrader.Grade(Case, answer);
        Assert.False(r.Passed);
        Assert.Equal("no working shown", r.Problem);
    }

    [Fact]
    public void Grade_WorkingWithoutTheFormula_FailsNoWorking()
    {
        var r = MathGrader.Grade(Case, "7 + 116 = 123 so \\boxed{123}");
        Assert.Equal("no working shown", r.Problem);
    }

    [Fact]
    public void Grade_WrongValue_FailsWrongAnswerNamingBoth()
    {
        var r = MathGrader.Grade(Case, "a_30 = 7 + (n-1)*4 = 7 + 29*4 = 127\n\\boxed{127}");
        Assert.False(r.Passed);
        Assert.Equal("wrong answer", r.Problem);
        Assert.Contains("127", r.Detail);
        Assert.Contains("123", r.Detail);
    }

    [Fact]
    public void Grade_LastBoxedWins_EarlierCorrectBoxIgnored()
    {
        var r = MathGrader.Grade(Case, "First try \\boxed{123}, but a_n = 7 + (n-1)*4 = 7 + 29*4 gives \\boxed{119}");
        Assert.Equal("wrong answer", r.Problem);
    }

    [Fact]
    public void Grade_EmptyAnswer_FailsNoAnswer()
    {
        Assert.Equal("no answer", MathGrader.Grade(Case, "  ").Problem);
    }

    [Fact]
    public void Grade_ThousandsSeparator_ComparedNumerically()
    {
        var big = Case with { Expected = "1234567", WorkingAny = [] };
        Assert.True(MathGrader.Grade(big, "1000000 + 234567 = 1,234,567\n\\boxed{1,234,567}").Passed);
    }
}
