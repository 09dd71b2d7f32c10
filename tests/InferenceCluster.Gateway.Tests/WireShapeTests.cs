using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Wire shapes added for streams and completions: the three states of a chunk's usage, reasoning deltas.</summary>
public sealed class WireShapeTests
{
    private static JsonElement Serialize(UsageSlot usage)
    {
        var chunk = new ChatCompletionChunk("id", "chat.completion.chunk", 1, "m", "rev", [], usage);
        return JsonDocument.Parse(JsonSerializer.Serialize(chunk, OpenAIJsonContext.Wire.ChatCompletionChunk)).RootElement;
    }

    [Fact]
    public void Usage_NotAskedFor_IsAbsent() =>
        Assert.False(Serialize(UsageSlot.Pending(includeUsage: false)).TryGetProperty("usage", out _));

    [Fact]
    public void Usage_AskedForButNotLastChunk_IsNull() =>
        Assert.Equal(JsonValueKind.Null, Serialize(UsageSlot.Pending(includeUsage: true)).GetProperty("usage").ValueKind);

    [Fact]
    public void Usage_LastChunk_IsTheUsageObjectWithReasoningTokens()
    {
        var usage = UsageDto.Of(3, 4, 0) with { CompletionTokensDetails = new CompletionTokensDetails(2) };

        var json = Serialize(UsageSlot.Of(usage)).GetProperty("usage");

        Assert.Equal(7, json.GetProperty("total_tokens").GetInt32());
        Assert.Equal(2, json.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public void ChunkDelta_Reasoning_WrittenAsReasoningContentWithoutContent()
    {
        var json = JsonSerializer.Serialize(
            new ChatCompletionChunk("id", "chat.completion.chunk", 1, "m", null, [new ChunkChoice(1, new ChunkDelta(null, null, "hmm"), null, null)], default),
            OpenAIJsonContext.Wire.ChatCompletionChunk);

        Assert.Contains("\"delta\":{\"reasoning_content\":\"hmm\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"index\":1", json, StringComparison.Ordinal);
        Assert.DoesNotContain("system_fingerprint", json, StringComparison.Ordinal);
    }
}
