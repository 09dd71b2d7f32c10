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
            ["content"] = m.Role == "assistant" ? WithoutReasoning(m.Content) : m.Content,
        }));
        lock (_gate)
        {
            // A null template selects the chat_template shipped in the model's tokenizer_config.json.
            return tokenizer.ApplyChatTemplate(null!, json, null!, add_generation_prompt: true);
        }
    }

    /// <summary>
    /// An earlier assistant turn without its reasoning: only what follows the last <c>&lt;/think&gt;</c>. The R1
    /// chat template states this rule, but GenAI 0.18 renders the template without applying it, so it is applied
    /// here, before rendering, whatever template engine runs.
    /// </summary>
    internal static string WithoutReasoning(string content)
    {
        var end = content.LastIndexOf("</think>", StringComparison.Ordinal);
        return end < 0 ? content : content[(end + "</think>".Length)..].TrimStart();
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
