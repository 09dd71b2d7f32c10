namespace InferenceCluster.Sweep.Client;

/// <summary>What the sweep needs from one chat completion.</summary>
/// <param name="Content">The message content; may include a &lt;think&gt; section.</param>
/// <param name="FinishReason">"stop", "length", or whatever the server said.</param>
/// <param name="CompletionTokens">usage.completion_tokens.</param>
/// <param name="Margin">Mean top-1 minus top-2 log-probability over the generated tokens; null without top_logprobs.</param>
internal sealed record ChatResult(string Content, string FinishReason, int CompletionTokens, double? Margin, string? Reasoning = null);
