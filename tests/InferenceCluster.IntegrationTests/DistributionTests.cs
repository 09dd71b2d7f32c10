using InferenceCluster.IntegrationTests.Cluster;

namespace InferenceCluster.IntegrationTests;

/// <summary>Workers of one model compete on its queue, so concurrent requests spread over them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributionTests(ClusterFixture cluster)
{
    [Fact]
    public async Task CompleteChat_EightConcurrentRequests_RunOnBothWorkers()
    {
        var requests = Enumerable.Range(0, 8)
            .Select(i => cluster.Chat.CompleteChatAsync(Chat.User($"Question {i}: why is the sky blue?"), Chat.Greedy(maxTokens: 24)))
            .ToList();
        var completions = await Task.WhenAll(requests);

        var ranOn = completions
            .Select(completion => cluster.FindRun(completion.Value.Id) ?? throw new Xunit.Sdk.XunitException($"{completion.Value.Id} reached no worker of this cluster"))
            .GroupBy(found => found.Worker.Id)
            .ToDictionary(group => group.Key, group => group.Count());

        Assert.Equal(cluster.Workers.Select(worker => worker.Id).Order(), ranOn.Keys.Order());
        Assert.Equal(8, ranOn.Values.Sum());
    }
}
