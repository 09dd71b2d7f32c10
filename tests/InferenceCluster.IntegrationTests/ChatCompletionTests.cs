using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.IntegrationTests.Cluster;
using OpenAI.Chat;

namespace InferenceCluster.IntegrationTests;

/// <summary>The OpenAI SDK against the cluster: answers, streams and the model list, each run by a real worker.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatCompletionTests(ClusterFixture cluster)
{
    private static readonly TimeSpan CachePatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CompleteChat_Greedy_ReturnsFullCompletionRunByOneWorker()
    {
        const int maxTokens = 16;

        ChatCompletion completion = await cluster.Chat.CompleteChatAsync(
            Chat.User("Describe a quiet harbour."), Chat.Greedy(maxTokens));

        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(ClusterFixture.Model, completion.Model);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        var text = Chat.Text(completion);
        Assert.False(string.IsNullOrEmpty(text));
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.True(completion.Usage.InputTokenCount > 0, "usage.prompt_tokens must count the prompt");
        Assert.InRange(completion.Usage.OutputTokenCount, 1, maxTokens);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount == maxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);

        // The id names the request a worker's engine ran, and the usage is what that engine produced.
        var ran = cluster.FindRun(completion.Id);
        Assert.NotNull(ran);
        Assert.Equal(completion.Usage.OutputTokenCount, ran.Value.Run.Tokens);
        Assert.False(ran.Value.Run.Config.DoSample);
    }

    [Fact]
    public async Task CompleteChatStreaming_Greedy_UpdatesConcatenateToTheNonStreamedAnswer()
    {
        const string prompt = "Tell a long story about a lighthouse keeper.";
        var messages = Chat.User(prompt);
        var options = Chat.Greedy(maxTokens: 48);
        var answer = Chat.Text(await cluster.Chat.CompleteChatAsync(messages, options));

        // The answer is cached now; remove it so the streamed request is generated again, not replayed.
        Assert.NotNull(await cluster.WaitForCachedTextAsync(answer, CachePatience));
        await cluster.ClearCacheAsync();
        Assert.Single(cluster.RunsFor(prompt));

        var (updates, streamed) = await Chat.StreamAsync(cluster.Chat, messages, Chat.Greedy(maxTokens: 48));

        Assert.Equal(2, cluster.RunsFor(prompt).Count);
        Assert.NotNull(cluster.FindRun(updates[0].CompletionId));
        Assert.True(updates.Count(update => update.ContentUpdate.Count > 0) >= 3, $"expected several text updates, got {updates.Count(u => u.ContentUpdate.Count > 0)}");
        Assert.NotNull(updates.Last(update => update.FinishReason is not null).FinishReason);
        Assert.Equal(answer, streamed);
    }

    [Fact]
    public async Task GetModels_ClusterWithLiveWorkers_ListsTheTestModel()
    {
        var models = (await cluster.OpenAI.GetOpenAIModelClient().GetModelsAsync()).Value;

        Assert.Contains(models, model => model.Id == ClusterFixture.Model);

        // The raw wire shape the SDK parsed: an OpenAI list object.
        var raw = await cluster.Http.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Equal("list", raw.GetProperty("object").GetString());
    }
}
