using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A reasoning model's chat stream never puts <c>reasoning_content</c> and <c>content</c> in one delta: clients read one
/// of them per chunk (<c>if (reasoning_content) … else if (content)</c>), as DeepSeek's API never sends both.
/// </summary>
public sealed class ReasoningStreamGatewayTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayFixture _gateway;

    public ReasoningStreamGatewayTests(GatewayFixture gateway)
    {
        _gateway = gateway;
        _gateway.AnnounceReasoningWorker("-reasoning");
    }

    /// <summary>
    /// Unseeded sampling bypasses the cache, so both answers come from the worker, the stream in its deltas; a seeded
    /// answer is cached by the first request, and the stream replays it as one piece holding both parts.
    /// </summary>
    [Theory]
    [InlineData(""","temperature":0.7""", "bypass")]
    [InlineData(""","seed":5""", "hit")]
    public async Task ChatStream_PieceSpansThinkEnd_ReasoningThenContentInSeparateChunks(string settings, string cache)
    {
        var body = Chat(GatewayFixture.Model, FakeWorkerConsumer.ReasoningAcrossTheTag + Guid.NewGuid().ToString("N"), settings);

        var whole = await MessageAsync(body);
        var (reasoning, content) = await StreamedAsync(body, cache);

        Assert.Equal(("Two and two.", "Four, since two and two make four."), whole);
        Assert.Equal(whole, (reasoning, content));
    }

    private async Task<(string? Reasoning, string? Content)> MessageAsync(string body)
    {
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", Json(body));
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message");
        return (message.GetProperty("reasoning_content").GetString(), message.GetProperty("content").GetString());
    }

    /// <summary>The stream's reasoning and content, each joined, after checking no delta holds both and the last chunk of the choice finishes it.</summary>
    private async Task<(string Reasoning, string Content)> StreamedAsync(string body, string cache)
    {
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", Json(body[..^1] + ""","stream":true}"""));
        Assert.Equal(cache, response.Headers.GetValues("X-Inference-Cache").Single());
        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var choices = events[..^1].Select(data => JsonDocument.Parse(data).RootElement.GetProperty("choices")[0]).ToList();
        var deltas = choices.Select(choice => choice.GetProperty("delta")).ToList();

        Assert.DoesNotContain(deltas, delta => delta.TryGetProperty("reasoning_content", out _) && delta.TryGetProperty("content", out _));
        Assert.Equal("stop", choices[^1].GetProperty("finish_reason").GetString());
        Assert.All(choices[..^1], choice => Assert.Equal(JsonValueKind.Null, choice.GetProperty("finish_reason").ValueKind));
        var reasoning = string.Concat(deltas.Select(delta => delta.TryGetProperty("reasoning_content", out var text) ? text.GetString() : null));
        var content = string.Concat(deltas.Select(delta => delta.TryGetProperty("content", out var text) ? text.GetString() : null));
        return (reasoning, content);
    }
}
