using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A gateway on the in-memory bus that no worker has announced itself to, although it has heard heartbeats long
/// enough to know that none serves a model (what it answers before then: <see cref="GatewayStartTests"/>).
/// </summary>
public sealed class GatewayWithoutWorkersTests : IAsyncLifetime
{
    private readonly ShiftableClock _clock = new();
    private HermeticGateway? _gateway;

    private HttpClient Client => _gateway!.Client;

    public async Task InitializeAsync()
    {
        _gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
            });
            builder.Services.AddSingleton<TimeProvider>(_clock);
        });
        await FakeWorkerPool.PassDiscoveryAsync(_gateway.App, _clock);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    [Fact]
    public async Task Health_NoLiveWorker_LiveButNotReady()
    {
        using var live = await Client.GetAsync("/health/live");
        using var ready = await Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions", "POST")]
    [InlineData("PUT", "/v1/completions", "POST")]
    [InlineData("POST", "/v1/models", "GET")]
    public async Task V1_WrongMethod_405WithAllowAndAnOpenAIError(string method, string path, string allowed)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains(allowed, response.Content.Headers.Allow);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("method_not_allowed", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(method, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/embeddings")]
    [InlineData("GET", "/v1/files")]
    public async Task V1_UnknownRoute_404WithAnOpenAIError(string method, string path)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);

        // OpenAI's own words first, so that what matches them (SDKs' logs, proxies, people) finds them.
        Assert.StartsWith($"Invalid URL ({method} {path}).", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/responses/resp_0123456789abcdef", "Responses are not stored")]
    [InlineData("DELETE", "/v1/responses/resp_0123456789abcdef", "Responses are not stored")]
    [InlineData("GET", "/v1/responses/resp_0123456789abcdef/input_items", "Responses are not stored")]
    [InlineData("GET", "/v1/chat/completions/chatcmpl-0123456789abcdef", "Chat completions are not stored")]
    [InlineData("POST", "/v1/chat/completions/chatcmpl-0123456789abcdef", "Chat completions are not stored")]
    [InlineData("DELETE", "/v1/chat/completions/chatcmpl-0123456789abcdef", "Chat completions are not stored")]
    [InlineData("GET", "/v1/chat/completions/chatcmpl-0123456789abcdef/messages", "Chat completions are not stored")]
    public async Task V1_StoredObjectUrl_404SayingNothingIsStored(string method, string path, string reason)
    {
        // A client that retrieves the response or chat completion it made (OpenAI keeps both) must learn why there is
        // none, not only that the URL is unknown.
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Wire.ErrorOf(response);
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains("store: true", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_ListChatCompletions_405SayingChatCompletionsAreNotStored()
    {
        // GET /v1/chat/completions lists stored completions at OpenAI: still a 405 here (POST is the one method), and its
        // message says why there is nothing to list, rather than leaving the client to think its URL is wrong.
        using var response = await Client.GetAsync("/v1/chat/completions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var message = (await Wire.ErrorOf(response)).GetProperty("message").GetString();
        Assert.Contains("allowed: POST", message, StringComparison.Ordinal);
        Assert.Contains("Chat completions are not stored", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/responses/input_tokens")]
    [InlineData("PUT", "/v1/responses/resp_0123456789abcdef")]
    [InlineData("GET", "/v1/responses/resp_0123456789abcdef/unknown")]
    [InlineData("PUT", "/v1/chat/completions/chatcmpl-0123456789abcdef")]
    [InlineData("GET", "/v1/chat/completions/chatcmpl-0123456789abcdef/unknown")]
    public async Task V1_OtherUrlUnderResponsesOrChat_404WithoutTheStoredObjectReason(string method, string path)
    {
        // Not a stored object's URL (OpenAI's token count, a typo): that nothing is stored is no reason here.
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Wire.ErrorOf(response);
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.DoesNotContain("not stored", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/chat/completions")]
    [InlineData("GET", "/models")]
    [InlineData("GET", "/no-such-page")]
    public async Task OutsideV1_UnknownPath_404WithAnOpenAIErrorSayingWhereTheApiIs(string method, string path)
    {
        // A client whose base URL lacks /v1 sends /chat/completions: an empty 404 told it nothing.
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Wire.ErrorOf(response);
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.StartsWith($"Invalid URL ({method} {path}).", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("/v1", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/x%0Ay%1B")]
    [InlineData("DELETE", "/v1/models/x%0A")]
    public async Task V1_UnknownPathOrMethod_MessageQuotesThemCappedAndEscaped(string method, string path)
    {
        var longPath = path + new string('a', 2000);
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method + "X"), longPath));

        var message = (await Wire.ErrorOf(response)).GetProperty("message").GetString()!;
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\u001B', message);
        Assert.True(message.Length < 400, message);
        Assert.Contains(method + "X", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/models", HttpStatusCode.OK)]
    [InlineData("/v1/models/no-such-model", HttpStatusCode.NotFound)]
    public async Task Models_Head_AnsweredAsGetIsWithoutABody(string path, HttpStatusCode status)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Models_NoLiveWorker_EmptyList()
    {
        var models = await Client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Equal(0, models.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ChatCompletions_NoWorkerEverSeen_Returns404()
    {
        using var response = await Client.PostAsync(
            "/v1/chat/completions",
            new StringContent("""{"model":"anything","messages":[{"role":"user","content":"x"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
