using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace InferenceCluster.Conformance.Tests;

/// <summary>Conversations that send the server's own answers back, as SDKs build them, and the developer role.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatMultiTurnConformanceTests(EmbeddedClusterFixture cluster)
{
    private const string Model = EmbeddedClusterFixture.Model;

    private ChatClient Chat => cluster.OpenAI.GetChatClient(Model);

    [Fact]
    public async Task CompleteChat_ReturnedCompletionSentBackAsAssistantMessage_NextTurnAnswered()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 6 };
        List<ChatMessage> messages = [new UserChatMessage("What is two plus two?")];
        ChatCompletion first = await Chat.CompleteChatAsync(messages, options);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new UserChatMessage("And three plus three?"));
        ChatCompletion second = await Chat.CompleteChatAsync(messages, options);

        Assert.InRange(second.Usage.OutputTokenCount, 1, 6);
        Assert.True(second.Usage.InputTokenCount > first.Usage.InputTokenCount, "the history is part of the second prompt");
    }

    [Fact]
    public async Task Chat_ReturnedMessagePushedBackWithItsReasoningContent_AcceptedAndReasoningNotPrompted()
    {
        // What the Node SDK's messages.push(choice.message) sends: the message object exactly as returned.
        var first = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":6,"temperature":0}""");
        var returned = JsonNode.Parse(first.GetProperty("choices")[0].GetProperty("message").GetRawText())!.AsObject();

        // An answer cut in its reasoning always carries reasoning_content; one that closed it may carry it too.
        returned["reasoning_content"] ??= "Earlier reasoning.";

        string Body(JsonObject assistant) => new JsonObject
        {
            ["model"] = Model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Hi" },
                assistant,
                new JsonObject { ["role"] = "user", ["content"] = "Again" }),
            ["max_tokens"] = 1,
            ["temperature"] = 0,
        }.ToJsonString();

        var withReasoning = await Raw.PostAsync(cluster.Http, "/v1/chat/completions", Body((JsonObject)returned.DeepClone()));
        returned.Remove("reasoning_content");
        var without = await Raw.PostAsync(cluster.Http, "/v1/chat/completions", Body(returned));

        Assert.Equal(
            without.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(),
            withReasoning.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task CompleteChat_DeveloperMessage_PromptedExactlyAsASystemMessage()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 4 };

        ChatCompletion developer = await Chat.CompleteChatAsync([new DeveloperChatMessage("Answer in one word."), new UserChatMessage("Colour of grass?")], options);
        ChatCompletion system = await Chat.CompleteChatAsync([new SystemChatMessage("Answer in one word."), new UserChatMessage("Colour of grass?")], options);

        Assert.Equal(system.Usage.InputTokenCount, developer.Usage.InputTokenCount);
        Assert.Equal(Text(system), Text(developer));
    }

    private static string Text(ChatCompletion completion) => string.Concat(completion.Content.Select(part => part.Text));
}
