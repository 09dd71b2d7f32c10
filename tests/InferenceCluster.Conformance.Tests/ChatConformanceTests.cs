using System.ClientModel;
using System.Text.Json;
using OpenAI.Chat;

namespace InferenceCluster.Conformance.Tests;

/// <summary>Chat completions through the official OpenAI SDK, streamed and not.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatConformanceTests(EmbeddedClusterFixture cluster)
{
    private ChatClient Chat => cluster.OpenAI.GetChatClient(EmbeddedClusterFixture.Model);

    [Fact]
    public async Task CompleteChat_Greedy_ReturnsCompletionWithUsageAndFingerprint()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 8 };

        ClientResult<ChatCompletion> result = await Chat.CompleteChatAsync([new UserChatMessage("Hello there")], options);
        var completion = result.Value;

        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(EmbeddedClusterFixture.Model, completion.Model);
        Assert.False(string.IsNullOrEmpty(completion.SystemFingerprint));
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.InRange(completion.Usage.OutputTokenCount, 1, 8);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);

        // The bundled model never closes its reasoning in 8 tokens: all of them are reasoning tokens.
        Assert.Equal(completion.Usage.OutputTokenCount, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
        Assert.Equal(completion.Usage.OutputTokenCount == 8 ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChatStreaming_IncludesRoleFinishAndUsage()
    {
        var options = new ChatCompletionOptions { Temperature = 0.8f, MaxOutputTokenCount = 6 };

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me more")], options))
        {
            updates.Add(update);
        }

        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Single(updates, update => update.FinishReason is not null);
        var usage = updates[^1].Usage;
        Assert.NotNull(usage);
        Assert.InRange(usage.OutputTokenCount, 1, 6);
        Assert.Equal(usage.OutputTokenCount, usage.OutputTokenDetails.ReasoningTokenCount);
        Assert.All(updates, update => Assert.False(string.IsNullOrEmpty(update.SystemFingerprint)));
    }

    [Fact]
    public async Task CompleteChat_MaxCompletionTokens_StopsAtTheLimitWithLength()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 3, StopSequences = { } };

        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("Count to ten")], options);

        Assert.Equal(3, completion.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_SameSeed_SameTextAndDifferentSeed_DifferentText()
    {
        static ChatCompletionOptions Options(long seed) => new() { Temperature = 1.5f, TopP = 1f, MaxOutputTokenCount = 16, Seed = seed };

        var first = await ReasoningTextAsync(await Chat.CompleteChatAsync([new UserChatMessage("Roll dice")], Options(11)));
        var again = await ReasoningTextAsync(await Chat.CompleteChatAsync([new UserChatMessage("Roll dice")], Options(11)));
        var other = await ReasoningTextAsync(await Chat.CompleteChatAsync([new UserChatMessage("Roll dice")], Options(12)));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task CompleteChat_LogprobsWithTopLogprobs_OnePerTokenWithAlternatives()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 5, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };

        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("Hi")], options);

        Assert.Equal(completion.Usage.OutputTokenCount, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, token =>
        {
            Assert.True(token.LogProbability <= 0);
            Assert.Equal(3, token.TopLogProbabilities.Count);
        });
    }

    [Fact]
    public async Task CompleteChatStreaming_Logprobs_ArriveWithTheUpdates()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 5, IncludeLogProbabilities = true, TopLogProbabilityCount = 2 };

        var tokens = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")], options))
        {
            tokens += update.ContentTokenLogProbabilities.Count;
            usage ??= update.Usage;
        }

        Assert.NotNull(usage);
        Assert.Equal(usage.OutputTokenCount, tokens);
    }

    [Fact]
    public async Task CompleteChat_Stop_EndsBeforeTheStopText()
    {
        var greedy = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 24 };
        var full = await ReasoningTextAsync(await Chat.CompleteChatAsync([new UserChatMessage("Say something")], greedy));
        Assert.True(full.Length >= 8, $"greedy output too short to pick a stop from: '{full}'");
        var stop = full.Substring(full.Length / 2, 3);
        var expected = full[..full.IndexOf(stop, StringComparison.Ordinal)];

        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 24, StopSequences = { stop } };
        var result = await Chat.CompleteChatAsync([new UserChatMessage("Say something")], options);

        Assert.Equal(expected, await ReasoningTextAsync(result));
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
    }

    [Fact]
    public async Task CompleteChat_PresencePenalty_Rejected400NamingIt()
    {
        var options = new ChatCompletionOptions { PresencePenalty = 0.5f, MaxOutputTokenCount = 4 };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat.CompleteChatAsync([new UserChatMessage("Hi")], options));

        Assert.Equal(400, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("presence_penalty", body.GetProperty("param").GetString());
    }

    /// <summary>The text of choice 0 as the SDK cannot show it: a reasoning model's output is in reasoning_content.</summary>
    private static Task<string> ReasoningTextAsync(ClientResult<ChatCompletion> result)
    {
        var json = JsonDocument.Parse(result.GetRawResponse().Content.ToString()).RootElement;
        var message = json.GetProperty("choices")[0].GetProperty("message");
        return Task.FromResult(message.GetProperty("reasoning_content").GetString() + message.GetProperty("content").GetString());
    }
}
