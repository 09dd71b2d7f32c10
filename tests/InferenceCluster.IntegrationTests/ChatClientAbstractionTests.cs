using InferenceCluster.IntegrationTests.Cluster;
using Microsoft.Extensions.AI;

namespace InferenceCluster.IntegrationTests;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over the OpenAI SDK against the cluster: every
/// <see cref="ChatOptions"/> setting must reach the worker's engine as the request's own config. (This
/// gateway does not split reasoning from content; the conformance tests check reasoning-token usage.)
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatClientAbstractionTests(ClusterFixture cluster)
{
    private const int MaxTokens = 12;

    private IChatClient Client => cluster.Chat.AsIChatClient();

    private static ChatOptions Options() => new()
    {
        Temperature = 0.7f,
        TopP = 0.9f,
        Seed = 1234,
        StopSequences = ["<<end of answer>>"],
        MaxOutputTokens = MaxTokens,
    };

    [Fact]
    public async Task GetResponse_ChatOptions_ReachTheEngineAsTheRequestsConfig()
    {
        const string Prompt = "Describe a windmill, through the chat abstraction.";

        ChatResponse response = await Client.GetResponseAsync([new ChatMessage(ChatRole.User, Prompt)], Options());

        var (_, run) = cluster.FindRun(response.ResponseId!) ?? throw new Xunit.Sdk.XunitException($"no worker ran {response.ResponseId}");
        Assert.True(run.Config.DoSample);
        Assert.Equal(0.7, run.Config.Temperature, 1e-6);
        Assert.Equal(0.9, run.Config.TopP, 1e-6);
        Assert.Equal(1234, run.Config.Seed);
        Assert.Equal(["<<end of answer>>"], run.Config.Stop);
        Assert.Equal(MaxTokens, run.Config.MaxTokens);

        var usage = response.Usage!;
        Assert.True(usage.InputTokenCount > 0);
        Assert.InRange(usage.OutputTokenCount!.Value, 1, MaxTokens);
        Assert.Equal(run.Tokens, usage.OutputTokenCount);
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        Assert.Equal(usage.OutputTokenCount == MaxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponse_SameSeededRequest_SameTextAndUsageAsTheWholeAnswer()
    {
        const string Prompt = "Describe a lighthouse, through the chat abstraction.";
        ChatMessage[] messages = [new ChatMessage(ChatRole.User, Prompt)];
        ChatResponse whole = await Client.GetResponseAsync(messages, Options());

        // The seeded answer is cached now; remove it so the stream is generated again, not replayed.
        Assert.NotNull(await cluster.WaitForCachedTextAsync(whole.Text, TimeSpan.FromSeconds(30)));
        await cluster.ClearCacheAsync();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(messages, Options()))
        {
            updates.Add(update);
        }

        var streamed = updates.ToChatResponse();
        Assert.Equal(2, cluster.RunsFor(Prompt).Count);
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.FinishReason, streamed.FinishReason);
        Assert.Equal(whole.Usage!.OutputTokenCount, streamed.Usage!.OutputTokenCount);
        Assert.False(string.IsNullOrEmpty(streamed.Text));
        Assert.True(updates.Count(update => update.Text.Length > 0) >= 2, "the answer arrives in several updates");
        Assert.Contains(updates, update => update.Contents.OfType<UsageContent>().Any());
    }
}
