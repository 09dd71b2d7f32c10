using System.Text;
using OpenAI.Chat;

namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>Small helpers for requests made through the OpenAI SDK.</summary>
internal static class Chat
{
    public static ChatMessage[] User(string text) => [new UserChatMessage(text)];

    public static ChatCompletionOptions Greedy(int maxTokens) => new() { Temperature = 0f, MaxOutputTokenCount = maxTokens };

    public static ChatCompletionOptions Sampled(double temperature, int maxTokens) =>
        new() { Temperature = (float)temperature, MaxOutputTokenCount = maxTokens };

    /// <summary>Streams a request to its end; returns the updates that carried text and the concatenated text.</summary>
    public static async Task<(List<StreamingChatCompletionUpdate> Updates, string Text)> StreamAsync(
        ChatClient client, ChatMessage[] messages, ChatCompletionOptions options)
    {
        var updates = new List<StreamingChatCompletionUpdate>();
        var text = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            updates.Add(update);
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return (updates, text.ToString());
    }

    public static string Text(ChatCompletion completion) => string.Concat(completion.Content.Select(part => part.Text));
}
