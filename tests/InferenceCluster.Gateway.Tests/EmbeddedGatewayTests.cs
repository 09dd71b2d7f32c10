using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InferenceCluster.Inference.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// The default configuration end to end: no broker, no Redis, no model configured — the gateway hosts a
/// worker with the real engine and the bundled test model, exactly as <c>dotnet run</c> does.
/// </summary>
public sealed class EmbeddedGatewayTests : IAsyncLifetime
{
    private HermeticGateway? _gateway;

    private HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync()
    {
        _gateway = await HermeticGateway.StartAsync(builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task DefaultConfiguration_ServesBundledTestModelAsJsonAndStream()
    {
        await WaitForModelAsync(TestModel.Id);

        var request = $$"""{"model":"{{TestModel.Id}}","messages":[{"role":"user","content":"Hello there"}],"temperature":0,"max_tokens":8}""";
        using var json = await Client.PostAsync("/v1/chat/completions", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var completion = await json.Content.ReadFromJsonAsync<JsonElement>();
        // The bundled model is a reasoning model whose chat template opens <think>; its few tokens never close
        // the reasoning, so they all belong to reasoning_content and the answer is empty.
        var message = completion.GetProperty("choices")[0].GetProperty("message");
        Assert.False(string.IsNullOrEmpty(message.GetProperty("reasoning_content").GetString()));
        Assert.Equal(string.Empty, message.GetProperty("content").GetString());
        var completionTokens = completion.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.InRange(completionTokens, 1, 8);

        var streamRequest = $$$"""{"model":"{{{TestModel.Id}}}","messages":[{"role":"user","content":"Tell me more"}],"temperature":0.8,"max_tokens":6,"stream":true,"stream_options":{"include_usage":true}}""";
        using var stream = await Client.PostAsync("/v1/chat/completions", new StringContent(streamRequest, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        var events = (await stream.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.Contains("\"role\":\"assistant\"", events[0], StringComparison.Ordinal);
        var usage = JsonDocument.Parse(events[^2]["data: ".Length..]).RootElement.GetProperty("usage");
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 1, 6);
    }

    [Fact]
    public async Task DefaultConfiguration_ReadyOnceWorkerAnnouncedItself()
    {
        await WaitForModelAsync(TestModel.Id);

        using var ready = await Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task DefaultConfiguration_UnknownModelOnceWorkerAnnouncedItself_Returns404ModelNotFound()
    {
        // The embedded worker is the only one there can be: once it is heard, an unknown model is final at once.
        await WaitForModelAsync(TestModel.Id);

        var request = """{"model":"no-such-model","messages":[{"role":"user","content":"Hello"}]}""";
        using var chat = await Client.PostAsync("/v1/chat/completions", new StringContent(request, Encoding.UTF8, "application/json"));
        using var model = await Client.GetAsync("/v1/models/no-such-model");

        foreach (var response in new[] { chat, model })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("model_not_found", error.GetProperty("code").GetString());
            Assert.Equal("model", error.GetProperty("param").GetString());
        }
    }

    private async Task WaitForModelAsync(string model)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var list = await Client.GetFromJsonAsync<JsonElement>("/v1/models");
            if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == model))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The embedded worker never announced {model}.");
    }
}
