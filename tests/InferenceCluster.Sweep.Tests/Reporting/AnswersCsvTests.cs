using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Reporting;
using InferenceCluster.Sweep.Suites;
using InferenceCluster.Sweep.Tests.Fakes;

namespace InferenceCluster.Sweep.Tests.Reporting;

public sealed class AnswersCsvTests
{
    internal static AnswerRecord Record(string caseId, int repeat, string answer = "plain", GridPoint? point = null) => new()
    {
        Point = point ?? new GridPoint(0.35, 0.95, 512, 1.05, null),
        CaseId = caseId,
        Category = CaseCategory.Code,
        Repeat = repeat,
        Seed = 123456789,
        Passed = false,
        Problem = "wrong output",
        Reason = "wrong output: got [1, 2], expected \"x\"",
        CompletionTokens = 77,
        FinishReason = "length",
        Repetition = true,
        Margin = 1.234567,
        Answer = answer,
    };

    [Fact]
    public void WriteThenRead_AwkwardText_RoundTripsExactly()
    {
        using var dir = new TempDir();
        var path = dir.File("answers.csv");
        var records = new[]
        {
            Record("a", 0, "line one,\n\"quoted\", then\r\nwindows line and a trailing quote\""),
            Record("b", 1, "") with { Margin = null, Passed = true, Problem = "", Point = new GridPoint(0.3, 0.85, 1024, 1.0, 40) },
            Record("c", 2, "```python\ndef f():\n    return 'a,b'\n```"),
        };
        AnswersCsv.Write(path, records);

        Assert.Equal(records, AnswersCsv.Read(path));
    }

    [Fact]
    public void Read_InterruptedLastLine_IsIgnored()
    {
        using var dir = new TempDir();
        var path = dir.File("answers.csv");
        AnswersCsv.Write(path, [Record("a", 0)]);
        var partial = AnswersCsv.Line(Record("b", 0, "cut \"here"));
        File.AppendAllText(path, partial[..(partial.Length / 2)]);

        var read = AnswersCsv.Read(path);
        Assert.Equal("a", Assert.Single(read).CaseId);
    }

    [Fact]
    public void Read_ForeignCsv_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();
        var path = dir.File("answers.csv");
        File.WriteAllText(path, "x,y\n1,2\n");
        var e = Assert.Throws<InvalidDataException>(() => AnswersCsv.Read(path));
        Assert.Contains(path, e.Message);
    }
}
