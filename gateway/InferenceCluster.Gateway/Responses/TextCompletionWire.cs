using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Responses;

/// <summary><c>text_completion</c> objects of <c>POST /v1/completions</c>, whole or streamed; the text is the raw output.</summary>
internal sealed class TextCompletionWire : ICompletionWire
{
    public static readonly TextCompletionWire Instance = new();

    public string OperationName => "text_completion";

    public string ResponseId(Guid requestId) => ChatIds.TextCompletionId(requestId);

    public Task WriteResponseAsync(CompletionExchange exchange, IReadOnlyList<ChoiceResult> choices, UsageDto usage) =>
        exchange.Http.Response.WriteAsJsonAsync(
            Response(exchange, [.. choices.Select(choice => new TextChoice(
                choice.Text,
                choice.Job.Index,
                exchange.Logprobs ? Logprobs(choice.Logprobs ?? [], 0) : null,
                ChatIds.FinishReason(choice.FinishReason)))], UsageSlot.Of(usage)),
            OpenAIJsonContext.Wire.TextCompletionResponse,
            contentType: "application/json",
            exchange.Aborted);

    public Task WriteStartAsync(CompletionExchange exchange, IReadOnlyList<int> indices) => Task.CompletedTask;

    public Task WriteTextAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs)
    {
        TextLogprobsDto? dto = null;
        if (exchange.Logprobs)
        {
            // Offsets count from the start of the choice's text, across all the chunks before this one.
            var start = exchange.StreamedTextOffsets.GetValueOrDefault(index);
            dto = Logprobs(logprobs ?? [], start);
            exchange.StreamedTextOffsets[index] = start + (logprobs ?? []).Sum(token => token.Token.Length);
        }

        return WriteChunkAsync(exchange, new TextChoice(text.Reasoning + text.Content, index, dto, null));
    }

    public Task WriteFinishAsync(CompletionExchange exchange, int index, FinishReason finishReason, int? appliedMaxTokens) =>
        WriteChunkAsync(exchange, new TextChoice(string.Empty, index, null, ChatIds.FinishReason(finishReason)));

    public Task WriteUsageAsync(CompletionExchange exchange, UsageDto usage) =>
        SseWriter.WriteAsync(exchange.Http.Response, Response(exchange, [], UsageSlot.Of(usage)), OpenAIJsonContext.Wire.TextCompletionResponse, exchange.Aborted);

    /// <summary>
    /// The legacy shape: parallel lists of tokens, their log-probabilities, alternatives and text offsets. As OpenAI's,
    /// each alternatives object also holds the chosen token (up to logprobs + 1 entries), so <c>logprobs: 0</c> gives it alone.
    /// </summary>
    internal static TextLogprobsDto Logprobs(IReadOnlyList<TokenLogprob> tokens, int startOffset)
    {
        var offsets = new List<int>(tokens.Count);
        var offset = startOffset;
        foreach (var token in tokens)
        {
            offsets.Add(offset);
            offset += token.Token.Length;
        }

        return new TextLogprobsDto(
            [.. tokens.Select(t => t.Token)],
            [.. tokens.Select(t => t.Logprob)],
            [.. tokens.Select(Alternatives)],
            offsets);
    }

    private static Dictionary<string, double> Alternatives(TokenLogprob token)
    {
        var top = token.Top.GroupBy(top => top.Token, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Logprob, StringComparer.Ordinal);
        top.TryAdd(token.Token, token.Logprob);
        return top;
    }

    private static TextCompletionResponse Response(CompletionExchange exchange, IReadOnlyList<TextChoice> choices, UsageSlot usage) =>
        new(exchange.ResponseId, "text_completion", exchange.Created, exchange.Model, exchange.Fingerprint, choices, usage);

    private static Task WriteChunkAsync(CompletionExchange exchange, TextChoice choice) =>
        SseWriter.WriteAsync(
            exchange.Http.Response, Response(exchange, [choice], UsageSlot.Pending(exchange.IncludeUsage)), OpenAIJsonContext.Wire.TextCompletionResponse, exchange.Aborted);
}
