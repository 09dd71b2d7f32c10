using System.Text.Json;
using InferenceCluster.Contracts;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Text;

/// <summary>
/// Turns prompts and chat messages into token ids with the model's own tokenizer and chat
/// template, and hands out per-request streaming decoders.
/// </summary>
internal sealed class PromptEncoder(Tokenizer tokenizer) : IDisposable
{
    // GenAI documents no thread-safety for the tokenizer; encoding is short, so serialise it.
    private readonly Lock _gate = new();

    public string RenderChat(IReadOnlyList<ChatMessage> messages)
    {
        var json = JsonSerializer.Serialize(messages.Select(m => new Dictionary<string, string>
        {
            ["role"] = m.Role,
            ["content"] = m.Content,
        }));
        lock (_gate)
        {
            // A null template selects the chat_template shipped in the model's tokenizer_config.json.
            return tokenizer.ApplyChatTemplate(null!, json, null!, add_generation_prompt: true);
        }
    }

    public int[] EncodeChat(IReadOnlyList<ChatMessage> messages) => Encode(RenderChat(messages));

    public int[] Encode(string text)
    {
        lock (_gate)
        {
            using var sequences = tokenizer.Encode(text);
            return sequences[0].ToArray();
        }
    }

    public string Decode(ReadOnlySpan<int> tokens)
    {
        lock (_gate)
        {
            return tokenizer.Decode(tokens);
        }
    }

    /// <summary>A decoder that emits only whole UTF-8 characters as tokens arrive.</summary>
    public TokenizerStream CreateStream()
    {
        lock (_gate)
        {
            return tokenizer.CreateStream();
        }
    }

    public void Dispose() => tokenizer.Dispose();
}
