using System.Text.Json;

namespace InferenceCluster.Conformance.Tests;

/// <summary>
/// <c>POST /v1/completions</c> over raw HTTP (the SDK has no legacy completions client): prompt strings and
/// arrays, n, streaming with choice indices, stop, logprobs and usage.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CompletionsConformanceTests(EmbeddedClusterFixture cluster)
{
    private const string Model = EmbeddedClusterFixture.Model;

    [Fact]
    public async Task Completions_PromptString_ReturnsTextCompletion()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/completions", $$"""{"model":"{{Model}}","prompt":"Once upon a time","max_tokens":6,"temperature":0}""");

        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", json.GetProperty("id").GetString(), StringComparison.Ordinal);
        var choice = Assert.Single(json.GetProperty("choices").EnumerateArray());
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("text").GetString()));
        var usage = json.GetProperty("usage");
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 1, 6);
        Assert.False(usage.TryGetProperty("completion_tokens_details", out _));
    }

    /// <summary>
    /// An empty prompt is taken, as OpenAI takes it: the model generates from the start of its template (its
    /// beginning-of-sequence token), alone or as one of several prompts.
    /// </summary>
    [Fact]
    public async Task Completions_EmptyPrompt_GeneratesFromTheTemplatesStart()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/completions", $$"""{"model":"{{Model}}","prompt":["","Alpha"],"max_tokens":4,"temperature":0}""");

        var choices = json.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        Assert.All(choices, choice => Assert.False(string.IsNullOrEmpty(choice.GetProperty("text").GetString())));
        var alpha = await Raw.PostAsync(cluster.Http, "/v1/completions", $$"""{"model":"{{Model}}","prompt":"Alpha","max_tokens":4,"temperature":0}""");
        Assert.Equal(PromptTokens(alpha) + 1, PromptTokens(json));
    }

    [Fact]
    public async Task Completions_PromptArrayWithN_OneChoicePerPromptAndN_InOrder()
    {
        var json = await Raw.PostAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":["Alpha","A much longer second prompt than the first"],"n":2,"max_tokens":4,"temperature":0}""");

        var choices = json.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));

        // Greedy choices of one prompt are identical; the prompts differ.
        Assert.Equal(choices[0].GetProperty("text").GetString(), choices[1].GetProperty("text").GetString());
        Assert.Equal(choices[2].GetProperty("text").GetString(), choices[3].GetProperty("text").GetString());

        // Each prompt counted once; completion tokens summed over the four choices.
        var single = await Raw.PostAsync(cluster.Http, "/v1/completions", $$"""{"model":"{{Model}}","prompt":"Alpha","max_tokens":4,"temperature":0}""");
        var second = await Raw.PostAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":"A much longer second prompt than the first","max_tokens":4,"temperature":0}""");
        var usage = json.GetProperty("usage");
        Assert.Equal(PromptTokens(single) + PromptTokens(second), usage.GetProperty("prompt_tokens").GetInt32());
        var completionTokens = usage.GetProperty("completion_tokens").GetInt32();
        if (choices.All(c => c.GetProperty("finish_reason").GetString() == "length"))
        {
            Assert.Equal(choices.Count * 4, completionTokens);
        }
        else
        {
            Assert.InRange(completionTokens, choices.Count, (choices.Count * 4) - 1);
        }
    }

    [Fact]
    public async Task Completions_Stream_ChunksCarryChoiceIndexAndUsageNullUntilTheUsageChunk()
    {
        var events = await Raw.StreamAsync(cluster.Http, "/v1/completions",
            $$$"""{"model":"{{{Model}}}","prompt":"Hello","n":2,"max_tokens":5,"temperature":0.9,"stream":true,"stream_options":{"include_usage":true}}""");

        var chunks = events[..^1];
        Assert.All(chunks, chunk =>
        {
            Assert.Equal("text_completion", chunk.GetProperty("object").GetString());
            Assert.Equal(JsonValueKind.Null, chunk.GetProperty("usage").ValueKind);
        });
        var indices = chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Select(c => c.GetProperty("index").GetInt32()).ToHashSet();
        Assert.Equal([0, 1], indices.Order());
        Assert.Equal(2, chunks.SelectMany(c => c.GetProperty("choices").EnumerateArray()).Count(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String));

        var last = events[^1];
        Assert.Empty(last.GetProperty("choices").EnumerateArray());
        Assert.InRange(last.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 2, 10);
    }

    [Fact]
    public async Task Completions_StreamWithLogprobs_TextOffsetsContinueAcrossChunks()
    {
        var events = await Raw.StreamAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":"Once upon a time","max_tokens":24,"temperature":0,"logprobs":1,"stream":true}""");

        // The offsets of the whole stream, read in order, are exactly those of one text made of its tokens.
        var expected = 0;
        var seen = 0;
        foreach (var choice in events.SelectMany(e => e.GetProperty("choices").EnumerateArray()))
        {
            if (!choice.TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
            var offsets = logprobs.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()).ToList();
            for (var i = 0; i < tokens.Count; i++)
            {
                Assert.Equal(expected, offsets[i]);
                expected += tokens[i].Length;
                seen++;
            }
        }

        Assert.True(seen > 1, "the stream carried fewer than two tokens with log-probabilities");
    }

    [Fact]
    public async Task Completions_SeededN_EachChoiceSamplesWithSeedPlusIndex()
    {
        var both = await Raw.PostAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":"Pick","n":2,"seed":500,"temperature":1.5,"top_p":1,"max_tokens":12}""");
        var seed501 = await Raw.PostAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":"Pick","seed":501,"temperature":1.5,"top_p":1,"max_tokens":12}""");

        var texts = both.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ToList();
        Assert.NotEqual(texts[0], texts[1]);
        Assert.Equal(seed501.GetProperty("choices")[0].GetProperty("text").GetString(), texts[1]);
    }

    [Fact]
    public async Task Completions_StopAndLogprobs_Honoured()
    {
        var full = await Raw.PostAsync(cluster.Http, "/v1/completions", $$"""{"model":"{{Model}}","prompt":"The list:","max_tokens":20,"temperature":0}""");
        var text = full.GetProperty("choices")[0].GetProperty("text").GetString()!;
        Assert.True(text.Length >= 8, $"greedy output too short: '{text}'");
        var stop = text.Substring(text.Length / 2, 3);

        var stopped = await Raw.PostAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":"The list:","max_tokens":20,"temperature":0,"stop":[{{JsonSerializer.Serialize(stop)}}],"logprobs":2}""");

        var choice = stopped.GetProperty("choices")[0];
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var logprobs = choice.GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").GetArrayLength();
        Assert.Equal(tokens, logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), top => Assert.Equal(2, top.EnumerateObject().Count()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Completions_Logprobs_EveryAlternativesObjectHoldsTheChosenToken(int alternatives)
    {
        // OpenAI's legacy logprobs: "the API will always return the logprob of the sampled token".
        var response = await Raw.PostAsync(cluster.Http, "/v1/completions",
            $$"""{"model":"{{Model}}","prompt":"The list:","max_tokens":12,"temperature":1.5,"seed":11,"logprobs":{{alternatives}}}""");

        var logprobs = response.GetProperty("choices")[0].GetProperty("logprobs");
        var tokens = logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
        var chosen = logprobs.GetProperty("token_logprobs").EnumerateArray().Select(l => l.GetDouble()).ToList();
        var tops = logprobs.GetProperty("top_logprobs").EnumerateArray().ToList();
        Assert.Equal(tokens.Count, tops.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            Assert.InRange(tops[i].EnumerateObject().Count(), 1, alternatives + 1);
            Assert.Equal(chosen[i], tops[i].GetProperty(tokens[i]).GetDouble());
        }
    }

    [Theory]
    [InlineData(""","n":9""", "n")]
    [InlineData(""","prompt":["a","b"],"n":1073741824""", "n")]
    [InlineData(""","echo":true""", "echo")]
    [InlineData(""","min_p":0.1""", "min_p")]
    [InlineData(""","frequency_penalty":1""", "frequency_penalty")]
    [InlineData(""","prompt":[1,2]""", "prompt[0]")]
    public async Task Completions_UnsupportedOrOutOfRange_Returns400NamingIt(string extra, string param)
    {
        var body = extra.Contains("\"prompt\"", StringComparison.Ordinal)
            ? $$"""{"model":"{{Model}}"{{extra}}}"""
            : $$"""{"model":"{{Model}}","prompt":"x"{{extra}}}""";
        using var response = await cluster.Http.PostAsync("/v1/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    private static int PromptTokens(JsonElement response) => response.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
}
