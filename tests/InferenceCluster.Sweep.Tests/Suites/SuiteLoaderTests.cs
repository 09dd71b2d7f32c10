using InferenceCluster.Sweep.Suites;
using InferenceCluster.Sweep.Tests.Fakes;

namespace InferenceCluster.Sweep.Tests.Suites;

public sealed class SuiteLoaderTests
{
    [Fact]
    public void Load_DefaultSuite_Has15CasesFivePerCategory()
    {
        var suite = SuiteLoader.Load(Path.Combine(AppContext.BaseDirectory, "suites", "default.jsonl"));
        Assert.Equal(15, suite.Count);
        Assert.All(Enum.GetValues<CaseCategory>(), c => Assert.Equal(5, suite.Count(s => s.Category == c)));
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"category\":\"math\",\"prompt\":\"p\",\"expected\":\"1\"}\n{not json}", 2, "not a valid case")]
    [InlineData("\n{\"id\":\"a\",\"category\":\"poetry\",\"prompt\":\"p\"}", 2, "not a valid case")]
    [InlineData("{\"id\":\"a\",\"category\":\"math\",\"prompt\":\"p\"}", 1, "numeric 'expected'")]
    [InlineData("{\"id\":\"a\",\"category\":\"code\",\"prompt\":\"p\"}", 1, "needs 'tests'")]
    [InlineData("{\"id\":\"a\",\"category\":\"logic\",\"prompt\":\"p\",\"required\":[[]]}", 1, "'required'")]
    [InlineData("{\"id\":\"a\",\"category\":\"math\",\"prompt\":\"p\",\"expected\":\"1\"}\n{\"id\":\"a\",\"category\":\"math\",\"prompt\":\"q\",\"expected\":\"2\"}", 2, "used twice")]
    [InlineData("{\"id\":\"a\",\"category\":\"math\",\"prompt\":\"p\",\"expected\":\"1\",\"answer\":\"1\"}", 1, "not a valid case")]
    public void Load_BadLine_ThrowsNamingFileAndLine(string text, int line, string message)
    {
        using var dir = new TempDir();
        var path = dir.File("suite.jsonl");
        File.WriteAllText(path, text);
        var e = Assert.Throws<SuiteFormatException>(() => SuiteLoader.Load(path));
        Assert.Equal(line, e.Line);
        Assert.Contains($"{path} line {line}", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingTheFile()
    {
        var e = Assert.Throws<SuiteFormatException>(() => SuiteLoader.Load("/nonexistent/suite.jsonl"));
        Assert.Contains("/nonexistent/suite.jsonl", e.Message);
    }
}
