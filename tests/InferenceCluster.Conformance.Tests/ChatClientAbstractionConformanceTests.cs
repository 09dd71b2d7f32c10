using Microsoft.Extensions.AI;

namespace InferenceCluster.Conformance.Tests;

/// <summary>Microsoft.Extensions.AI's <see cref="IChatClient"/> reads the reasoning-token usage of a reasoning model's answer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatClientAbstractionConformanceTests(EmbeddedClusterFixture cluster)
{
    private const string Model = EmbeddedClusterFixture.Model;

    private IChatClient Client => cluster.OpenAI.GetChatClient(Model).AsIChatClient();

    [Fact]
    public async Task GetResponse_ReasoningModel_UsageCarriesTheReasoningTokensStreamedOrNot()
    {
        const string Prompt = "Why do leaves fall?";
        var options = new ChatOptions { Temperature = 0f, MaxOutputTokens = 8 };
        var raw = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"{{Prompt}}"}],"max_tokens":8,"temperature":0}""");
        var expected = raw.GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt64();

        ChatResponse whole = await Client.GetResponseAsync([new ChatMessage(ChatRole.User, Prompt)], options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Prompt)], options))
        {
            updates.Add(update);
        }

        var streamed = updates.ToChatResponse();
        Assert.Equal(expected, whole.Usage!.ReasoningTokenCount);
        Assert.Equal(expected, streamed.Usage!.ReasoningTokenCount);
        Assert.InRange(expected, 0, whole.Usage.OutputTokenCount!.Value);
        Assert.Equal(whole.Usage.OutputTokenCount, streamed.Usage.OutputTokenCount);
    }
}
