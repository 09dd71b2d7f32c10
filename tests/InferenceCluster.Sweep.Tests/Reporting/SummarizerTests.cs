using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Reporting;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Tests.Reporting;

public sealed class SummarizerTests
{
    private static readonly GridPoint P = new(0.5, 0.9, 256, 1.0, null);

    private static AnswerRecord R(CaseCategory cat, int repeat, bool pass, int tokens, string finish = "stop", string problem = "wrong answer", bool rep = false) =>
        AnswersCsvTests.Record($"{cat}-{repeat}-{tokens}", repeat) with
        {
            Point = P, Category = cat, Passed = pass, Problem = pass ? "" : problem, CompletionTokens = tokens, FinishReason = finish, Repetition = rep, Margin = 1.0,
        };

    [Fact]
    public void Summarize_MixedAnswers_ComputesEveryFigure()
    {
        AnswerRecord[] rs =
        [
            R(CaseCategory.Math, 0, true, 100), R(CaseCategory.Math, 0, false, 300, "length"),
            R(CaseCategory.Code, 0, true, 200), R(CaseCategory.Code, 0, true, 200),
            R(CaseCategory.Math, 1, true, 100), R(CaseCategory.Math, 1, true, 100),
            R(CaseCategory.Code, 1, false, 50, problem: "syntax error"), R(CaseCategory.Code, 1, false, 400, "length", rep: true),
            R(CaseCategory.Logic, 0, true, 10), R(CaseCategory.Logic, 1, false, 20, problem: "missing conclusion"),
        ];
        var s = Assert.Single(Summarizer.Summarize([P], rs));

        Assert.Equal(0.75, s.Categories[CaseCategory.Math].Accuracy, 9);
        Assert.Equal(0.5, s.Categories[CaseCategory.Code].Accuracy);
        Assert.Equal(0.5, s.Categories[CaseCategory.Logic].Accuracy);

        // repeat 0: math 1/2 × code 2/2 = 0.5; repeat 1: math 2/2 × code 0/2 = 0; mean 0.25.
        Assert.Equal(0.25, s.Both!.Value, 9);
        Assert.Equal(300, s.Categories[CaseCategory.Math].P95Tokens);
        Assert.Equal(150, s.Categories[CaseCategory.Math].MeanTokens);
        Assert.Equal(0.8, s.StopRate, 9);
        Assert.Equal(0.1, s.RepetitionRate, 9);
        Assert.Equal(1.0, s.Margin);

        // Two failures were cut by length, one syntax error, one missing conclusion: length dominates.
        Assert.Equal("cut by length", s.MainProblem);
    }

    private static PointSummary S(double t, double? both, double accuracy) => new()
    {
        Point = P with { Temperature = t }, Answers = 1, Categories = new Dictionary<CaseCategory, CategoryFigures>(), Accuracy = accuracy,
        Both = both, MeanTokens = 1, StopRate = 1, RepetitionRate = 0, Margin = null, MainProblem = "-",
    };

    [Fact]
    public void Band_WithinMargin_KeepsOnlyNearBestByBothPassRate()
    {
        var band = Summarizer.Band([S(0.3, 0.70, 0.9), S(0.4, 0.80, 0.1), S(0.5, 0.76, 0.1), S(0.6, 0.74, 0.1)], 0.05);
        Assert.Equal("both-pass rate", band.Basis);
        Assert.Equal(0.80, band.Best);
        Assert.Equal([0.4, 0.5], band.Points.Select(b => b.Point.Temperature));
    }

    [Fact]
    public void Band_NoBothPassAnywhere_FallsBackToAccuracy()
    {
        var band = Summarizer.Band([S(0.3, 0, 0.2), S(0.4, 0, 0.5)], 0.05);
        Assert.Equal("overall accuracy", band.Basis);
        Assert.Equal([0.4], band.Points.Select(b => b.Point.Temperature));
    }

    [Fact]
    public void Band_NothingPasses_IsEmptyAndSaysSo()
    {
        var band = Summarizer.Band([S(0.3, 0, 0), S(0.4, 0, 0)], 0.05);
        Assert.Empty(band.Points);
        Assert.StartsWith("No recommended band", band.Describe(0.05));
    }
}
