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

        Assert.Equal(48, paged.Tokens.Count);
        Assert.Equal(paged.TokenIds, standard.TokenIds);
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
