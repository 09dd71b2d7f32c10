using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using InferenceCluster.Gateway.Tests.Policy;

namespace InferenceCluster.Gateway.Tests.Playground;

/// <summary>The page and its settings are served outside <c>/v1</c>: with API keys on they load without one.</summary>
public sealed class PlaygroundGatewayTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/index.html", "text/html")]
    [InlineData("/playground.css", "text/css")]
    [InlineData("/js/main.js", "text/javascript")]
    public async Task Get_PageFileWithKeysOnAndNoKey_ServedWithContentSecurityPolicy(string path, string mediaType)
    {
        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Get_Page_HasNoInlineScript()
    {
        var html = await gateway.Client.GetStringAsync("/");

        // Every script comes from a file: the policy forbids inline code, so inline code would not run.
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=)[^>]*>", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("\\son[a-z]+\\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetSettings_KeysOn_ProfilesAndDefaultsWithoutAnythingAboutKeys()
    {
        using var response = await gateway.Client.GetAsync("/playground/config.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var settings = JsonDocument.Parse(text).RootElement;

        Assert.True(settings.GetProperty("api_key_required").GetBoolean());
        Assert.Equal(0.55, settings.GetProperty("defaults").GetProperty("temperature").GetDouble());
        Assert.Equal(1024, settings.GetProperty("defaults").GetProperty("max_tokens").GetInt32());
        var math = settings.GetProperty("profiles").EnumerateArray().Single(profile => profile.GetProperty("name").GetString() == "math");
        Assert.Equal(2048, math.GetProperty("max_tokens").GetInt32());
        Assert.False(math.TryGetProperty("top_k", out _));
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("trace_url_template").ValueKind);

        Assert.DoesNotContain(PolicyGatewayFixture.Sha256Hex(PolicyGatewayFixture.OpenKey), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("pinned", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/playground/config.json")]
    public async Task Head_PageOrSettings_AnsweredAsGetIs(string path)
    {
        using var get = await gateway.Client.GetAsync(path);
        using var head = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task GetModels_KeysOnAndNoKey_StillRefused()
    {
        using var response = await gateway.Client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
