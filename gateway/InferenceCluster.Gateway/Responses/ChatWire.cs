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

    public Task WriteTextAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs) =>
        WriteChunkAsync(exchange, new ChunkChoice(
            index,
            new ChunkDelta(null, text.Content.Length > 0 || !exchange.SplitReasoning ? text.Content : null, text.Reasoning.Length > 0 ? text.Reasoning : null),
            exchange.Logprobs ? LogprobsDto.From(logprobs ?? []) : null,
            null));

    public Task WriteFinishAsync(CompletionExchange exchange, int index, FinishReason finishReason, int? appliedMaxTokens) =>
        WriteChunkAsync(exchange, new ChunkChoice(index, new ChunkDelta(null, null), null, ChatIds.FinishReason(finishReason)));

    public Task WriteUsageAsync(CompletionExchange exchange, UsageDto usage) =>
        SseWriter.WriteAsync(
            exchange.Http.Response,
            new ChatCompletionChunk(exchange.ResponseId, "chat.completion.chunk", exchange.Created, exchange.Model, exchange.Fingerprint, [], UsageSlot.Of(usage)),
            OpenAIJsonContext.Wire.ChatCompletionChunk,
            exchange.Aborted);

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
