using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>The paged and the standard layout of one model are the same model.</summary>
[Collection(EngineCollection.Name)]
public sealed class LayoutTests(EngineFixture engines)
{
    [Fact]
    public async Task GenerateAsync_GreedyOnStandardAndPaged_IdenticalTokens()
    {
        var paged = await Run.CollectAsync(engines.Dynamic, Run.Greedy(maxTokens: 48));
        var standard = await Run.CollectAsync(engines.Static, Run.Greedy(maxTokens: 48));

        Assert.NotEmpty(paged.Tokens);
        Assert.Equal(paged.TokenIds, standard.TokenIds);
    }

    [Theory]
    [InlineData("What is 898 + 950?", "The answer is 1848.")]
    [InlineData("What is 703 - 30?", "The answer is 673.")]
    public async Task GenerateAsync_GreedyQuestionOnStandardAndPaged_SameCorrectAnswer(string question, string answerEnd)
    {
        var paged = await Run.CollectAsync(engines.Dynamic, Run.Question(Run.Greedy(maxTokens: 192), question));
        var standard = await Run.CollectAsync(engines.Static, Run.Question(Run.Greedy(maxTokens: 192), question));

        Assert.Equal(paged.TokenIds, standard.TokenIds);
        Assert.Equal(GenerationFinishReason.Stop, paged.Completed.FinishReason);
        Assert.Contains("</think>", paged.Text, StringComparison.Ordinal);
        Assert.EndsWith(answerEnd, paged.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_BothLayouts_DescribeTheTestModel()
    {
        Assert.Equal("dynamic", engines.Dynamic.Model.BatchingMode);
        Assert.Equal("static", engines.Static.Model.BatchingMode);
        Assert.Equal("deepseek-r1-test-tiny", engines.Dynamic.Model.Id);
        Assert.Equal(12, engines.Dynamic.Model.Revision.Length);
        Assert.NotEqual(engines.Dynamic.Model.Revision, engines.Static.Model.Revision);
        Assert.True(engines.Dynamic.Model.ContextLength > 64);
        Assert.Equal(EngineFixture.Capacity, engines.Dynamic.Model.Capacity);
    }
}
