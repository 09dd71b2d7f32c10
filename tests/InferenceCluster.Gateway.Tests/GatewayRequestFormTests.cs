using System.Net;
using System.Text;
using System.Text.Json;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>How a request body and path are taken: a byte order mark, a trailing slash, malformed JSON, a bad parameter.</summary>
public sealed class GatewayRequestFormTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private HttpClient Client => gateway.Client;

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/responses")]
    public async Task AnyOperation_BodyStartsWithUtf8ByteOrderMark_Accepted(string path)
    {
        // Windows tools and some HTTP libraries write one; JSON parsers may ignore it (RFC 8259), and OpenAI's API does.
        var prompt = "bom-" + Guid.NewGuid().ToString("N");
        var json = path == "/v1/responses"
            ? $$"""{"model":"{{GatewayFixture.Model}}","input":"{{prompt}}","temperature":0}"""
            : Chat(GatewayFixture.Model, prompt, ""","temperature":0""");
        using var content = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)]);
        content.Headers.ContentType = new("application/json");

        using var response = await Client.PostAsync(path, content);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, gateway.Worker.Last(prompt).Config.Temperature);
    }

    [Theory]
    [InlineData("/v1/chat/completions/")]
    [InlineData("/v1/completions/")]
    [InlineData("/v1/responses/")]
    public async Task AnyOperation_PathWithTrailingSlash_AnsweredAsWithout(string path)
    {
        // The routes match a trailing slash (a 405 for GET names POST there), so a POST must be answered, not refused
        // as an operation the model lacks.
        var prompt = "slash-" + Guid.NewGuid().ToString("N");
        var json = path switch
        {
            "/v1/responses/" => $$"""{"model":"{{GatewayFixture.Model}}","input":"{{prompt}}","temperature":0}""",
            "/v1/completions/" => $$"""{"model":"{{GatewayFixture.Model}}","prompt":"{{prompt}}","temperature":0}""",
            _ => Chat(GatewayFixture.Model, prompt, ""","temperature":0"""),
        };

        using var response = await Client.PostAsync(path, Json(json));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Contains(gateway.Worker.Received, command => (command.Prompt ?? command.Messages?[^1].Content) == prompt);
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1", "é", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=utf-16", "é", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json; charset=iso-8859-1", "", HttpStatusCode.OK)]
    [InlineData("application/json; charset=\"UTF-8\"", "é", HttpStatusCode.OK)]
    [InlineData("application/json; charset=us-ascii", "", HttpStatusCode.OK)]
    [InlineData("application/x-www-form-urlencoded", "é", HttpStatusCode.OK)]
    public async Task ChatCompletions_DeclaredCharset_UTF8TakenOthersRefusedBeyondAscii(string contentType, string accent, HttpStatusCode expected)
    {
        // The body is read as UTF-8 whatever the header says: a body declared Latin-1 whose bytes are also UTF-8 ("Ã©"
        // in Latin-1 is "é" in UTF-8) would reach the model as other text; an ASCII body reads the same in either. A media
        // type without a charset (curl -d's) is JSON.
        var prompt = "charset-" + accent + Guid.NewGuid().ToString("N");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Chat(GatewayFixture.Model, prompt, ""","temperature":0""")));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await Client.PostAsync("/v1/chat/completions", content);

        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync());
        if (expected != HttpStatusCode.OK)
        {
            var error = await ErrorOf(response);
            Assert.Equal("unsupported_charset", error.GetProperty("code").GetString());
            Assert.DoesNotContain(gateway.Worker.Received, command => command.Messages?[^1].Content == prompt);
        }
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
    [InlineData(""","n":9""", "n", "invalid_value")]
    [InlineData(""","tools":[{"type":"function"}]""", "tools", "unsupported_parameter")]
    [InlineData(""","top_logprobs":2""", "top_logprobs", "invalid_value")]
    public async Task ChatCompletions_InvalidParameter_Returns400NamingIt(string extra, string param, string code)
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "x", extra)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }
}
