using System.Text;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Builds OpenAI response objects from the cluster's results (the only place that maps between the two).</summary>
internal static class ChatResponseFactory
{
    public const string Assistant = "assistant";

    public static ChatCompletionResponse Completion(
        Guid requestId, string model, long created, string text, FinishReason finishReason,
        int promptTokens, int completionTokens, int cachedPromptTokens, IReadOnlyList<TokenLogprob>? logprobs) =>
        new(
            ChatIds.CompletionId(requestId),
            "chat.completion",
            created,
            model,
            null,
            [new ChatChoice(0, new AssistantMessage(Assistant, text), Logprobs(logprobs), ChatIds.FinishReason(finishReason))],
            Usage(promptTokens, completionTokens, cachedPromptTokens));

    /// <summary>The first chunk of a stream: it carries the role and no text.</summary>
    public static ChatCompletionChunk RoleChunk(Guid requestId, string model, long created) =>
        Chunk(requestId, model, created, new ChunkChoice(0, new ChunkDelta(Assistant, string.Empty), null, null));

    public static ChatCompletionChunk ContentChunk(Guid requestId, string model, long created, string text, IReadOnlyList<TokenLogprob>? logprobs) =>
        Chunk(requestId, model, created, new ChunkChoice(0, new ChunkDelta(null, text), Logprobs(logprobs), null));

    public static ChatCompletionChunk FinishChunk(Guid requestId, string model, long created, FinishReason finishReason) =>
        Chunk(requestId, model, created, new ChunkChoice(0, new ChunkDelta(null, null), null, ChatIds.FinishReason(finishReason)));

    /// <summary>The chunk <c>stream_options.include_usage</c> asks for: no choices, only usage.</summary>
    public static ChatCompletionChunk UsageChunk(Guid requestId, string model, long created, int promptTokens, int completionTokens, int cachedPromptTokens) =>
        new(ChatIds.CompletionId(requestId), "chat.completion.chunk", created, model, null, [], UsageSlot.Of(Usage(promptTokens, completionTokens, cachedPromptTokens)));

    public static UsageDto Usage(int promptTokens, int completionTokens, int cachedPromptTokens) =>
        new(promptTokens, completionTokens, promptTokens + completionTokens, new PromptTokensDetails(cachedPromptTokens));

    public static LogprobsDto? Logprobs(IReadOnlyList<TokenLogprob>? logprobs) =>
        logprobs is null
            ? null
            : new LogprobsDto([.. logprobs.Select(token => new LogprobContent(
                token.Token,
                token.Logprob,
                Bytes(token.Token),
                [.. token.Top.Select(top => new TopLogprobDto(top.Token, top.Logprob, Bytes(top.Token)))]))]);

    private static ChatCompletionChunk Chunk(Guid requestId, string model, long created, ChunkChoice choice) =>
        new(ChatIds.CompletionId(requestId), "chat.completion.chunk", created, model, null, [choice], default);

    private static int[] Bytes(string token) => [.. Encoding.UTF8.GetBytes(token).Select(b => (int)b)];
}
