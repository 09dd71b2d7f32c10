using InferenceCluster.Sweep.Cli;
using InferenceCluster.Sweep.Grading;

namespace InferenceCluster.Sweep.Tests.Cli;

public sealed class SweepCommandLineTests
{
    [Fact]
    public void Parse_NoArguments_DefaultGridOf104Points()
    {
        var o = SweepCommandLine.Parse([])!;
        Assert.Equal(13 * 2 * 2 * 2, o.Grid.Points().Count);
        Assert.Equal(new Uri("http://127.0.0.1:8080"), o.BaseUrl);
        Assert.Equal("deepseek-r1-test-tiny", o.Model);
        Assert.True(File.Exists(o.SuitePath), o.SuitePath);
        Assert.Equal(ReasoningStart.Opened, o.Reasoning);
    }

    [Fact]
    public void Parse_AllOptions_AreHonoured()
    {
        var o = SweepCommandLine.Parse(
        [
            "--temperature", "0.5", "--top-p=0.9", "--max-tokens", "64", "--repetition-penalty", "1.1", "--top-k", "20,40",
            "--repeats", "3", "--seed-base", "7", "--concurrency", "4", "--model", "m", "--base-url", "http://h:1/v1",
            "--api-key", "k", "--suite", "s.jsonl", "--out", "o", "--margin", "0.1", "--code-timeout", "2.5", "--reasoning", "tagged",
        ])!;
        Assert.Equal([0.5], o.Grid.Temperatures);
        Assert.Equal([0.9], o.Grid.TopPs);
        Assert.Equal([64], o.Grid.MaxTokens);
        Assert.Equal([1.1], o.Grid.RepetitionPenalties);
        Assert.Equal([20, 40], o.Grid.TopKs);
        Assert.Equal((3, 7L, 4, "m", "k", "s.jsonl", "o", 0.1), (o.Repeats, o.SeedBase, o.Concurrency, o.Model, o.ApiKey, o.SuitePath, o.OutDir, o.Margin));
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.CodeTimeout);
        Assert.Equal(ReasoningStart.Tagged, o.Reasoning);
    }

    [Theory]
    [InlineData("--temperature", "0.3:0.9", "--temperature:")]
    [InlineData("--top-p", "1.5", "--top-p:")]
    [InlineData("--repeats", "0", "--repeats:")]
    [InlineData("--base-url", "ftp://x", "--base-url:")]
    [InlineData("--bogus", "1", "unknown option '--bogus'")]
    [InlineData("--reasoning", "auto", "--reasoning: 'auto'")]
    public void Parse_BadValue_ThrowsNamingTheOption(string name, string value, string expected)
    {
        var e = Assert.Throws<UsageException>(() => SweepCommandLine.Parse([name, value]));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_Help_ReturnsNull()
    {
        Assert.Null(SweepCommandLine.Parse(["--help"]));
    }
}
