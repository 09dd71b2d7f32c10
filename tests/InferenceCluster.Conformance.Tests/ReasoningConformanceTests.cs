using System.Text.Json;

namespace InferenceCluster.Conformance.Tests;

/// <summary>
/// Reasoning output of the bundled reasoning model (its chat template opens <c>&lt;think&gt;</c>), over raw
/// HTTP because the SDK does not expose <c>reasoning_content</c>; and n choices of a chat request.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReasoningConformanceTests(EmbeddedClusterFixture cluster)
{
    private const string Model = EmbeddedClusterFixture.Model;

    [Fact]
    public async Task Chat_TurnEndingInsideReasoning_KeepsItInReasoningContentAndCountsReasoningTokens()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Why?"}],"max_tokens":10,"temperature":0}""");

        var choice = json.GetProperty("choices")[0];
        var message = choice.GetProperty("message");
        Assert.False(string.IsNullOrEmpty(message.GetProperty("reasoning_content").GetString()));
        Assert.Equal(string.Empty, message.GetProperty("content").GetString());
        var usage = json.GetProperty("usage");
        Assert.Equal(
            usage.GetProperty("completion_tokens").GetInt32(),
            usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatStream_ReasoningArrivesAsReasoningContentDeltas_SameTextAsJson()
    {
        const string Body = "\"messages\":[{\"role\":\"user\",\"content\":\"Think aloud\"}],\"max_tokens\":12,\"temperature\":0";
        var whole = await Raw.PostAsync(cluster.Http, "/v1/chat/completions", $$"""{"model":"{{Model}}",{{Body}}}""");
        var events = await Raw.StreamAsync(cluster.Http, "/v1/chat/completions",
            $$$"""{"model":"{{{Model}}}",{{{Body}}},"stream":true,"stream_options":{"include_usage":true}}""");

        var deltas = events.SelectMany(e => e.GetProperty("choices").EnumerateArray()).Select(c => c.GetProperty("delta")).ToList();
        var streamed = string.Concat(deltas.Select(d => d.TryGetProperty("reasoning_content", out var r) ? r.GetString() : string.Empty));
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString(), streamed);
        Assert.All(events[..^1], e => Assert.Equal(JsonValueKind.Null, e.GetProperty("usage").ValueKind));
        Assert.True(events[^1].GetProperty("usage").GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Chat_EarlierAssistantReasoning_IsNotFedBackIntoThePrompt()
    {
        static string Body(string assistant) =>
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":{{JsonSerializer.Serialize(assistant)}}},{"role":"user","content":"And 3+3?"}],"max_tokens":1,"temperature":0}""";

        var plain = await Raw.PostAsync(cluster.Http, "/v1/chat/completions", Body("4"));
        var withReasoning = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            Body("<think>\nTwo plus two: count two more from two, which gives four, a long chain of thought.\n</think>\n\n4"));

        // The chat template keeps only what follows </think> in earlier assistant turns.
        Assert.Equal(
            plain.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(),
            withReasoning.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_NChoices_IndexedSummedAndStreamedWithIndices()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"n":3,"max_tokens":5,"temperature":1.2,"seed":7}""");

        var choices = json.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], choices.Select(c => c.GetProperty("index").GetInt32()));
        var single = await Raw.PostAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"temperature":1.2,"seed":7}""");
        Assert.Equal(
            single.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(),
            json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.InRange(json.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 3, 15);
        Assert.Equal(
            single.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning_content").GetString(),
            choices[0].GetProperty("message").GetProperty("reasoning_content").GetString());

        var events = await Raw.StreamAsync(cluster.Http, "/v1/chat/completions",
            $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"n":2,"max_tokens":4,"temperature":1.2,"stream":true}""");
        var streamed = events.SelectMany(e => e.GetProperty("choices").EnumerateArray()).ToList();
        Assert.Equal([0, 1], streamed.Where(c => c.GetProperty("delta").TryGetProperty("role", out _)).Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal([0, 1], streamed.Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String).Select(c => c.GetProperty("index").GetInt32()).Order());
        Assert.All(events, e => Assert.False(e.TryGetProperty("usage", out _)));
    }
}
