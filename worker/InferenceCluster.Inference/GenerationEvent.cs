using InferenceCluster.Contracts;

namespace InferenceCluster.Inference;

/// <summary>Something that happened to a request inside the engine.</summary>
public abstract record GenerationEvent;

/// <summary>The prompt was processed; the first token follows.</summary>
public sealed record PrefillCompleted(int PromptTokens, TimeSpan Queued, TimeSpan Prefill) : GenerationEvent;

/// <summary>
/// One generated token. <see cref="Text"/> holds only whole UTF-8 characters: a character that spans
/// tokens arrives with the token that completes it, so Text may be empty.
/// </summary>
public sealed record TokenGenerated(int TokenId, string Text, TokenLogprob? Logprob) : GenerationEvent;

/// <summary>
/// The last event of every request. <see cref="TerminalTokenId"/> is set only when the model itself ended the
/// turn with an end-of-sequence token: that token is not in the text or the usage, and its presence is what
/// tells an answer the model closed (a chat template closes it the same way in the next turn's history)
/// from one cut by a limit or a stop string. <see cref="MaxTokens"/> and <see cref="MinTokens"/> are the limits the
/// request ran with, after the engine fitted server-chosen ones to the context (null when the engine does not say).
/// </summary>
public sealed record GenerationCompleted(
    GenerationFinishReason FinishReason,
    CompletionUsage Usage,
    TimeSpan Decode,
    string? Error = null,
    int? TerminalTokenId = null,
    int? MaxTokens = null,
    int? MinTokens = null) : GenerationEvent;

/// <summary>Why a request ended inside the engine.</summary>
public enum GenerationFinishReason
{
    /// <summary>End-of-sequence token or a stop string (the stop text is not emitted).</summary>
    Stop,

    /// <summary>Max tokens or the context window reached.</summary>
    Length,

    /// <summary>The request's cancellation token fired.</summary>
    Cancelled,

    /// <summary>The engine failed the request; <see cref="GenerationCompleted.Error"/> says why.</summary>
    Error,
}
