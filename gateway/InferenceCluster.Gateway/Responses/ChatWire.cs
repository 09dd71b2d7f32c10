using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Responses;

/// <summary><c>chat.completion</c> and <c>chat.completion.chunk</c>; a reasoning model's reasoning goes to <c>reasoning_content</c>.</summary>
internal sealed class ChatWire : ICompletionWire
{
    public static readonly ChatWire Instance = new();

    public string OperationName => "chat";

    public string ResponseId(Guid requestId) => ChatIds.CompletionId(requestId);

    public Task WriteResponseAsync(CompletionExchange exchange, IReadOnlyList<ChoiceResult> choices, UsageDto usage)
    {
        var response = new ChatCompletionResponse(
            exchange.ResponseId,
            "chat.completion",
            exchange.Created,
            exchange.Model,
            exchange.Fingerprint,
            [.. choices.Select(choice => new ChatChoice(
                choice.Job.Index,
                Message(exchange, choice.Text),
                exchange.Logprobs ? LogprobsDto.From(choice.Logprobs ?? []) : null,
                ChatIds.FinishReason(choice.FinishReason)))],
            usage);
        return exchange.Http.Response.WriteAsJsonAsync(
            response, OpenAIJsonContext.Wire.ChatCompletionResponse, contentType: "application/json", exchange.Aborted);
    }

    public async Task WriteStartAsync(CompletionExchange exchange, IReadOnlyList<int> indices)
    {
        foreach (var index in indices)
        {
            await WriteChunkAsync(exchange, new ChunkChoice(index, new ChunkDelta(AssistantMessage.AssistantRole, string.Empty), null, null)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A piece holding the end of the reasoning and the start of the answer (a delta across <c>&lt;/think&gt;</c>, a
    /// cached answer replayed whole) goes out as two chunks, the reasoning first: clients read one of the two members
    /// per delta, as DeepSeek never sends both, and would lose the other. Each chunk carries the tokens of its text.
    /// </summary>
    public async Task WriteTextAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs)
    {
        if (text.Reasoning.Length == 0 || text.Content.Length == 0)
        {
            await WriteTextChunkAsync(exchange, index, text, logprobs).ConfigureAwait(false);
            return;
        }

        var answerTokens = AnswerTokenCount(logprobs ?? [], text.Content.Length);
        await WriteTextChunkAsync(exchange, index, text with { Content = string.Empty }, logprobs?.Take(logprobs.Count - answerTokens).ToList()).ConfigureAwait(false);
        await WriteTextChunkAsync(exchange, index, text with { Reasoning = string.Empty }, logprobs?.Skip(logprobs.Count - answerTokens).ToList()).ConfigureAwait(false);
    }

    public Task WriteFinishAsync(CompletionExchange exchange, int index, FinishReason finishReason, int? appliedMaxTokens) =>
        WriteChunkAsync(exchange, new ChunkChoice(index, new ChunkDelta(null, null), null, ChatIds.FinishReason(finishReason)));

    public Task WriteUsageAsync(CompletionExchange exchange, UsageDto usage) =>
        SseWriter.WriteAsync(
            exchange.Http.Response,
            new ChatCompletionChunk(exchange.ResponseId, "chat.completion.chunk", exchange.Created, exchange.Model, exchange.Fingerprint, [], UsageSlot.Of(usage)),
            OpenAIJsonContext.Wire.ChatCompletionChunk,
            exchange.Aborted);

    private static Task WriteTextChunkAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs) =>
        WriteChunkAsync(exchange, new ChunkChoice(
            index,
            new ChunkDelta(null, text.Content.Length > 0 || !exchange.SplitReasoning ? text.Content : null, text.Reasoning.Length > 0 ? text.Reasoning : null),
            exchange.Logprobs ? LogprobsDto.From(logprobs ?? []) : null,
            null));

    /// <summary>
    /// How many of the last tokens cover the answer, which ends the piece: a token with any of the answer's text in it
    /// is the answer's; <c>&lt;/think&gt;</c> and the blank lines after it stay with the reasoning.
    /// </summary>
    private static int AnswerTokenCount(IReadOnlyList<TokenLogprob> tokens, int answerLength)
    {
        var count = 0;
        for (var covered = 0; covered < answerLength && count < tokens.Count; count++)
        {
            covered += tokens[tokens.Count - 1 - count].Token.Length;
        }

        return count;
    }

    private static AssistantMessage Message(CompletionExchange exchange, string text)
    {
        if (!exchange.SplitReasoning)
        {
            return new AssistantMessage(AssistantMessage.AssistantRole, text);
        }

        var split = ReasoningSplitter.SplitAll(text);
        return new AssistantMessage(AssistantMessage.AssistantRole, split.Content, split.Reasoning);
    }

    private static Task WriteChunkAsync(CompletionExchange exchange, ChunkChoice choice) =>
        SseWriter.WriteAsync(
            exchange.Http.Response,
            new ChatCompletionChunk(
                exchange.ResponseId, "chat.completion.chunk", exchange.Created, exchange.Model, exchange.Fingerprint, [choice],
                UsageSlot.Pending(exchange.IncludeUsage)),
            OpenAIJsonContext.Wire.ChatCompletionChunk,
            exchange.Aborted);
}
