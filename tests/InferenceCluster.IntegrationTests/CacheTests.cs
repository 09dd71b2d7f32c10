using InferenceCluster.IntegrationTests.Cluster;

namespace InferenceCluster.IntegrationTests;

/// <summary>Deterministic answers come from Redis the second time, without reaching a worker.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CacheTests(ClusterFixture cluster)
{
    private const string Prompt = "List three colours of the sea.";

    [Fact]
    public async Task CompleteChat_RepeatedGreedyRequest_ServedFromRedisWithoutAWorker()
    {
        var messages = Chat.User(Prompt);

        var first = await cluster.Chat.CompleteChatAsync(messages, Chat.Greedy(maxTokens: 24));
        Assert.Equal(first.Value.Id, "chatcmpl-" + Assert.Single(cluster.RunsFor(Prompt)).RequestId);
        var key = await cluster.WaitForCachedTextAsync(Chat.Text(first.Value), TimeSpan.FromSeconds(30));
        Assert.NotNull(key);
        Assert.StartsWith(cluster.CacheKeyPrefix, key.ToString(), StringComparison.Ordinal);

        var second = await cluster.Chat.CompleteChatAsync(messages, Chat.Greedy(maxTokens: 24));

        Assert.Single(cluster.RunsFor(Prompt));
        Assert.Equal(Chat.Text(first.Value), Chat.Text(second.Value));
        Assert.Equal(first.Value.FinishReason, second.Value.FinishReason);
        Assert.Equal(first.Value.Usage.OutputTokenCount, second.Value.Usage.OutputTokenCount);
        Assert.NotEqual(first.Value.Id, second.Value.Id);
        Assert.Null(cluster.FindRun(second.Value.Id));
    }
}
