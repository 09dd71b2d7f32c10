using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.DependencyInjection;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

public sealed class GatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private HttpClient Client => gateway.Client;

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
    public async Task ChatCompletions_UnknownModel_Returns404ModelNotFound()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat("no-such-model", "x")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());

        // No config was used for a model nobody serves: the answer reports none.
        Assert.False(response.Headers.Contains("X-Inference-Config"));
    }

    [Fact]
    public async Task ChatCompletions_ModelWithoutLiveWorker_Returns503()
    {
        // A worker that announced the model two hours ago and then went silent.
        var now = gateway.Clock.Offset;
        gateway.Clock.Offset = now - TimeSpan.FromHours(2);
        try
        {
            gateway.Services.GetRequiredService<WorkerRegistry>().Record(new WorkerHeartbeat
            {
                WorkerId = "gone", ModelId = "stale-model", ModelRevision = "r", Capacity = 1, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UtcNow,
            });
        }
        finally
        {
            gateway.Clock.Offset = now;
        }

        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat("stale-model", "x")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("model_unavailable", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        var models = await Client.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.DoesNotContain(models.GetProperty("data").EnumerateArray(), model => model.GetProperty("id").GetString() == "stale-model");

        // Asked for by id, the same answer as a request for it: it is known, only not served right now.
        using var retrieved = await Client.GetAsync("/v1/models/stale-model");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, retrieved.StatusCode);
        var retrievedError = await ErrorOf(retrieved);
        Assert.Equal("model_unavailable", retrievedError.GetProperty("code").GetString());
        Assert.StartsWith("No live worker serves the model", retrievedError.GetProperty("message").GetString(), StringComparison.Ordinal);
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

    [Theory]
    [InlineData("/v1/chat/completions", "messages", "room for fewer tokens", ""","max_tokens":10""", "max_tokens")]
    [InlineData("/v1/chat/completions", "messages", "room for fewer tokens", ""","max_completion_tokens":10""", "max_completion_tokens")]
    [InlineData("/v1/chat/completions", "messages", "room for fewer tokens", ""","max_completion_tokens":10,"stream":true""", "max_completion_tokens")]
    [InlineData("/v1/chat/completions", "messages", "grammar refused", "", "response_format")]
    [InlineData("/v1/completions", "prompt", "room for fewer tokens", "", "max_tokens")]
    [InlineData("/v1/responses", "input", "room for fewer tokens", ""","max_output_tokens":10""", "max_output_tokens")]
    [InlineData("/v1/responses", "input", "room for fewer tokens", ""","max_output_tokens":10,"stream":true""", "max_output_tokens")]
    [InlineData("/v1/responses", "input", "too long", "", "input")]
    [InlineData("/v1/responses", "input", "grammar refused", "", "text.format")]
    public async Task AnyOperation_WorkerNamesAParameter_ErrorNamesItAsTheClientSentIt(string path, string inputMember, string prompt, string extra, string param)
    {
        var input = inputMember == "messages" ? $$"""[{"role":"user","content":"{{prompt}}"}]""" : $"\"{prompt}\"";
        using var response = await Client.PostAsync(path, Json($$"""{"model":"{{GatewayFixture.Model}}","{{inputMember}}":{{input}}{{extra}}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        if (prompt != "too long")
        {
            // The worker's message names the parameter too, by chat's name; the client reads its own.
            Assert.Contains(param, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
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
    [InlineData(GatewayFixture.Model + ":math", HttpStatusCode.OK)]
    [InlineData(GatewayFixture.Model + ":no-such-profile", HttpStatusCode.NotFound)]
    [InlineData("no-such-model:math", HttpStatusCode.NotFound)]

    // Profiles apply to the worker pool's models only: the upstream would be asked for 'upstream-model:math'.
    [InlineData(GatewayFixture.UpstreamModel + ":math", HttpStatusCode.NotFound)]
    public async Task Model_IdWithProfileSuffix_FoundWhenRequestsCanUseIt(string id, HttpStatusCode status)
    {
        using var response = await Client.GetAsync("/v1/models/" + Uri.EscapeDataString(id));

        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (status == HttpStatusCode.OK)
        {
            Assert.Equal(id, body.GetProperty("id").GetString());
            Assert.Equal("inference-cluster", body.GetProperty("owned_by").GetString());
        }
        else
        {
            Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
        }
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
}
