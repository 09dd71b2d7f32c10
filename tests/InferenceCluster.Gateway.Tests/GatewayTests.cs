using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.Gateway.Tests;

public sealed class GatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private HttpClient Client => gateway.Client;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Chat(string model, string content, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{content}}"}]{{extra}}}""";

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("error");
    }

    private static List<string> Events(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(line =>
            line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : throw new InvalidOperationException($"Not an SSE data line: {line}"))];

    [Fact]
    public async Task ChatCompletions_NonStreamed_ReturnsCompletionWithResolvedConfig()
    {
        var prompt = "plain-" + Guid.NewGuid().ToString("N");
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, prompt, ""","temperature":0""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal(GatewayFixture.Model, body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal($"echo:{prompt}|t=0|sample=False|max=1024|seed=", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(10, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());

        var command = gateway.Worker.Last(prompt);
        Assert.False(command.Stream);
        Assert.Equal(1.02, command.Config.RepetitionPenalty);
        Assert.Equal(0.95, command.Config.TopP);
        Assert.Equal(GatewayFixture.RequestTimeout, command.Deadline - command.EnqueuedAt);
        Assert.StartsWith("chatcmpl-" + command.RequestId.ToString("N"), body.GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_Streamed_ReordersDedupesAndEndsWithUsageAndDone()
    {
        var prompt = "stream-" + Guid.NewGuid().ToString("N");
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, prompt, ""","temperature":1.2,"stream":true,"stream_options":{"include_usage":true}""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(data => JsonDocument.Parse(data).RootElement).ToList();
        Assert.All(chunks, chunk => Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(chunk => chunk.GetProperty("id").GetString()).Distinct());

        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Skip(1)
            .Where(chunk => chunk.GetProperty("choices").GetArrayLength() > 0)
            .Select(chunk => chunk.GetProperty("choices")[0].GetProperty("delta"))
            .Where(delta => delta.TryGetProperty("content", out _))
            .Select(delta => delta.GetProperty("content").GetString()));
        Assert.Equal($"echo:{prompt}|t=1.2|sample=True|max=1024|seed=", text);

        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_StreamWithoutIncludeUsage_HasNoUsageChunk()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "no-usage-" + Guid.NewGuid(), ""","stream":true""")));

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.DoesNotContain(events[..^1], data => data.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Contains("\"finish_reason\":\"stop\"", events[^2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"model\":")]
    [InlineData("not json at all")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task ChatCompletions_MalformedJson_Returns400(string body)
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("invalid_json", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    [Theory]
    [InlineData(""","temperature":"warm" """, "temperature", "invalid_type")]
    [InlineData(""","n":3""", "n", "unsupported_parameter")]
    [InlineData(""","tools":[]""", "tools", "unknown_parameter")]
    [InlineData(""","top_logprobs":2""", "top_logprobs", "invalid_value")]
    public async Task ChatCompletions_InvalidParameter_Returns400NamingIt(string extra, string param, string code)
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "x", extra)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_UnknownModel_Returns404ModelNotFound()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat("no-such-model", "x")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ChatCompletions_BodyOverLimit_Returns413()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, new string('a', 5000))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", (await ErrorOf(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_WorkerRejectsPrompt_Returns400ContextLengthExceeded(bool stream)
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "too long", stream ? ""","stream":true""" : "")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("messages", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ChatCompletions_WorkerFailsMidStream_SendsErrorEventThenDone()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "fail midway", ""","stream":true""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("\"content\":\"partial\"", events[1], StringComparison.Ordinal);
        var error = JsonDocument.Parse(events[^2]).RootElement.GetProperty("error");
        Assert.Equal("engine_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_DeadlinePasses_Returns504AndCancelsAtWorkers()
    {
        var watch = Stopwatch.StartNew();
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "hang", ""","user":"deadline-test" """)));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(watch.Elapsed >= GatewayFixture.RequestTimeout - TimeSpan.FromMilliseconds(100), $"answered after {watch.Elapsed}");
        Assert.Equal("timeout", (await ErrorOf(response)).GetProperty("code").GetString());
        var requestId = gateway.Worker.Received.Last(command => command.Messages![^1].Content == "hang" && command.Deadline <= DateTimeOffset.UtcNow).RequestId;
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ChatCompletions_DeadlinePassesMidStream_SendsTimeoutEventThenDoneAndCancels()
    {
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "stall after first delta", ""","stream":true""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("\"content\":\"first\"", events[1], StringComparison.Ordinal);
        Assert.Equal("timeout", JsonDocument.Parse(events[^2]).RootElement.GetProperty("error").GetProperty("code").GetString());
        var requestId = gateway.Worker.Received.Single(command => !before.Contains(command.RequestId) && command.Messages![^1].Content == "stall after first delta").RequestId;
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ChatCompletions_ConcurrentRequests_EachCarriesItsOwnSampling()
    {
        var temperatures = Enumerable.Range(1, 12).Select(i => Math.Round(i * 0.15, 2)).ToArray();

        var answers = await Task.WhenAll(temperatures.Select(async temperature =>
        {
            var prompt = $"concurrent-{Guid.NewGuid():N}";
            var extra = FormattableString.Invariant($$""","temperature":{{temperature}},"max_tokens":{{(int)(temperature * 100)}}""");
            using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, prompt, extra)));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (prompt, temperature, text: body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        }));

        Assert.All(answers, answer => Assert.Equal(
            FormattableString.Invariant($"echo:{answer.prompt}|t={answer.temperature}|sample=True|max={(int)(answer.temperature * 100)}|seed="),
            answer.text));
    }

    [Fact]
    public async Task ChatCompletions_ClientDisconnects_PublishesCancel()
    {
        var prompt = "hang";
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        using var abort = new CancellationTokenSource();
        var call = Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, prompt, ""","stream":true""")), abort.Token);

        await Eventually(() => gateway.Worker.Received.Any(command => !before.Contains(command.RequestId)), TimeSpan.FromSeconds(2));
        var requestId = gateway.Worker.Received.First(command => !before.Contains(command.RequestId)).RequestId;
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // Well before the 2 s deadline, so it is the disconnect that cancelled it.
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task ChatCompletions_SeededRequestRepeated_ServedFromCacheAsJsonAndStream()
    {
        var prompt = "cache-" + Guid.NewGuid().ToString("N");
        var request = Chat(GatewayFixture.Model, prompt, ""","temperature":0.9,"seed":1234""");

        using var first = await Client.PostAsync("/v1/chat/completions", Json(request));
        using var second = await Client.PostAsync("/v1/chat/completions", Json(request));
        using var streamed = await Client.PostAsync("/v1/chat/completions", Json(request[..^1] + ""","stream":true}"""));

        var firstText = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        var secondText = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Equal($"echo:{prompt}|t=0.9|sample=True|max=1024|seed=1234", firstText);
        Assert.Equal(firstText, secondText);

        var events = Events(await streamed.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains(JsonSerializer.Serialize(firstText), events[1], StringComparison.Ordinal);
        Assert.Equal(1, gateway.Worker.CountFor(prompt));
    }

    [Fact]
    public async Task ChatCompletions_UnseededSampledRequestRepeated_NeverFromCache()
    {
        var prompt = "nocache-" + Guid.NewGuid().ToString("N");
        var request = Chat(GatewayFixture.Model, prompt, ""","temperature":0.9""");

        using var first = await Client.PostAsync("/v1/chat/completions", Json(request));
        using var second = await Client.PostAsync("/v1/chat/completions", Json(request));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, gateway.Worker.CountFor(prompt));
    }

    [Fact]
    public async Task ChatCompletions_ForwardedModel_ProxiedToUpstreamWithoutRoutingHeader()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.UpstreamModel, "hi")));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("from upstream", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Contains((GatewayFixture.UpstreamModel, false), gateway.Upstream.Requests);
    }

    [Fact]
    public async Task ChatCompletions_ClientSetsRoutingHeader_BodyModelStillDecides()
    {
        var prompt = "spoof-" + Guid.NewGuid().ToString("N");
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(Chat(GatewayFixture.Model, prompt)) };
        message.Headers.Add("X-Inference-Model", GatewayFixture.UpstreamModel);

        using var response = await Client.SendAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, gateway.Worker.CountFor(prompt));
    }

    [Fact]
    public async Task Models_ListsLiveWorkerModelsAndForwardedModels()
    {
        var body = await Client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", body.GetProperty("object").GetString());
        var models = body.GetProperty("data").EnumerateArray().ToDictionary(
            model => model.GetProperty("id").GetString()!, model => model.GetProperty("owned_by").GetString());
        Assert.Equal("inference-cluster", models[GatewayFixture.Model]);
        Assert.Equal("test-upstream", models[GatewayFixture.UpstreamModel]);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_BusConnectedAndWorkerLive_Healthy(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < within, $"Condition not met within {within}.");
            await Task.Delay(20);
        }
    }
}
