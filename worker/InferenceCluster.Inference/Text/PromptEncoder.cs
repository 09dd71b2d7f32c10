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
    private const string FirstSystemProbe = "first-system-message-probe";
    private const string SecondSystemProbe = "second-system-message-probe";

    // GenAI's error when the model folder has no chat template (in tokenizer_config.json, chat_template.jinja or .json).
    private const string NoChatTemplate = "Empty chat template";

    // GenAI documents no thread-safety for the tokenizer; encoding is short, so serialise it.
    private readonly Lock _gate = new();
    private int _systemMessages; // 0 not asked yet, 1 the template keeps every system message, 2 only one

    public string RenderChat(IReadOnlyList<ChatMessage> messages)
    {
        var rendered = messages.Count(m => m.Role == "system") > 1 && !KeepsEverySystemMessage()
            ? WithOneSystemMessage(messages)
            : messages;
        return Render(rendered.Select(m => m.Role == "assistant" ? m with { Content = WithoutReasoning(m.Content) } : m));
    }

    /// <summary>
    /// The tokens the chat template starts every conversation with (R1's: its beginning-of-sequence token): where an
    /// empty text prompt starts, as OpenAI's models start one from their document boundary. Null when the model has no
    /// chat template, or one that cannot render an empty conversation: such a model has no start to give.
    /// </summary>
    public int[]? EncodeTemplateStart()
    {
        try
        {
            return Encode(Render([], addGenerationPrompt: false));
        }
        catch (OnnxRuntimeGenAIException)
        {
            return null;
        }
    }

    /// <summary>
    /// The messages with every system message joined, in order, into one at the front: what R1's template does with
    /// the one system message it keeps (it keeps the last and puts it first), so that none is dropped.
    /// </summary>
    internal static IReadOnlyList<ChatMessage> WithOneSystemMessage(IReadOnlyList<ChatMessage> messages) =>
    [
        new ChatMessage("system", string.Join("\n\n", messages.Where(m => m.Role == "system").Select(m => m.Content))),
        .. messages.Where(m => m.Role != "system"),
    ];

    /// <summary>
    /// Whether the model's template renders every system message (R1's keeps only the last); asked once. A template that
    /// raises on the probe's two system messages is counted as keeping one, and the messages are then joined into one:
    /// that serves a template refusing a system message after the first, as many do. The probe does not tell that apart
    /// from a template refusing any system message; with such a template the joined message fails as a single one would,
    /// with the template's own error.
    /// </summary>
    private bool KeepsEverySystemMessage()
    {
        if (Volatile.Read(ref _systemMessages) == 0)
        {
            bool keeps;
            try
            {
                var probe = Render([new ChatMessage("system", FirstSystemProbe), new ChatMessage("system", SecondSystemProbe), new ChatMessage("user", "?")]);
                keeps = probe.Contains(FirstSystemProbe, StringComparison.Ordinal) && probe.Contains(SecondSystemProbe, StringComparison.Ordinal);
            }
            catch (OnnxRuntimeGenAIException)
            {
                // Refused two; whether it takes one is learnt when a request renders the joined message.
                keeps = false;
            }

            Volatile.Write(ref _systemMessages, keeps ? 1 : 2);
        }

        return Volatile.Read(ref _systemMessages) == 1;
    }

    private string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var json = JsonSerializer.Serialize(messages.Select(m => new Dictionary<string, string>
        {
            ["role"] = m.Role,
            ["content"] = m.Content,
        }));
        lock (_gate)
        {
            // A null template selects the chat_template shipped in the model's tokenizer_config.json.
            return tokenizer.ApplyChatTemplate(null!, json, null!, add_generation_prompt: addGenerationPrompt);
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

    /// <summary>
    /// The conversation's tokens; null when the model has no chat template to render it with: chat messages are then the
    /// client's to turn into a prompt. A template that exists and fails on these messages throws its own error, even one
    /// that cannot render an empty conversation either (many read the first message before anything else).
    /// </summary>
    public int[]? EncodeChat(IReadOnlyList<ChatMessage> messages)
    {
        string rendered;
        try
        {
            rendered = RenderChat(messages);
        }
        catch (OnnxRuntimeGenAIException ex) when (ex.Message.Contains(NoChatTemplate, StringComparison.Ordinal))
        {
            return null;
        }

        return Encode(rendered);
    }

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
