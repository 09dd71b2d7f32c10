using System.Net;
using System.Text;
using System.Text.Json;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests.Transport;

/// <summary>
/// Requests Kestrel refuses before any gateway code runs (bad request lines, Host, framing headers; a request line
/// or headers too long; an unknown HTTP version): still answered with OpenAI's error object, never an empty body,
/// while the answers the application wrote, forwarded ones included, pass untouched.
/// </summary>
public sealed class KestrelRefusalTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Uri Server => gateway.Client.BaseAddress!;

    private static string ChatBody => Chat(GatewayFixture.Model, "x");

    [Theory]
    [InlineData("GET /v1/%00 HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed_request")]
    [InlineData("POST /v1/chat/completions%00 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 400, "malformed_request")]
    [InlineData("GET /v1/models HTTP/1.1\r\n\r\n", 400, "malformed_request")]
    [InlineData("GET /v1/models HTTP/1.1\r\nHost: a b\r\n\r\n", 400, "malformed_request")]
    [InlineData("POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Length: ten\r\n\r\n", 400, "malformed_request")]
    [InlineData("POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "malformed_request")]
    [InlineData("GET /v1/models HTTP/2.0\r\nHost: a\r\n\r\n", 505, "unsupported_http_version")]
    public async Task AnyRequest_KestrelRefusesIt_AnsweredWithAnOpenAIError(string request, int status, string code)
    {
        var answer = await RawHttp.SendAsync(Server, request);

        Assert.Equal(status, answer.Status);
        var error = answer.Error();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal("close", answer.Headers["Connection"]);
    }

    [Fact]
    public async Task AnyRequest_RequestLineOrHeadersTooLong_AnsweredWithAnOpenAIError()
    {
        var longLine = await RawHttp.SendAsync(Server, $"GET /v1/{new string('a', 9000)} HTTP/1.1\r\nHost: a\r\n\r\n");
        var longHeader = await RawHttp.SendAsync(Server, $"GET /v1/models HTTP/1.1\r\nHost: a\r\nX-Long: {new string('a', 40_000)}\r\n\r\n");

        Assert.Equal(414, longLine.Status);
        Assert.Equal("url_too_long", longLine.Error().GetProperty("code").GetString());
        Assert.Equal(431, longHeader.Status);
        Assert.Equal("headers_too_large", longHeader.Error().GetProperty("code").GetString());
    }

    [Fact]
    public async Task OneConnection_AnswerThenRefusal_TheAnswerUntouchedTheRefusalAnOpenAIError()
    {
        var body = ChatBody;
        var answers = await RawHttp.ExchangeAsync(
            Server,
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}"
            + "GET /v1/models HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /v1/%00 HTTP/1.1\r\nHost: a\r\n\r\n");

        Assert.Equal([200, 200, 400], answers.Select(answer => answer.Status));
        Assert.Contains("\"chat.completion\"", Encoding.UTF8.GetString(answers[0].Body), StringComparison.Ordinal);
        Assert.Contains("\"list\"", Encoding.UTF8.GetString(answers[1].Body), StringComparison.Ordinal);
        Assert.Equal("malformed_request", answers[2].Error().GetProperty("code").GetString());
    }

    [Fact]
    public async Task ForwardedModel_UpstreamAnswersAnEmptyError_PassedOnUnchanged()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(Chat(GatewayFixture.UpstreamModel, "x")) };
        request.Headers.Add(Fakes.FakeUpstream.EmptyErrorHeader, "409");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}
