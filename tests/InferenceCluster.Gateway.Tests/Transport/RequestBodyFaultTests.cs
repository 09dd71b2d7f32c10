using System.Net;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests.Transport;

/// <summary>
/// Bodies the gateway cannot read as JSON for reasons below the JSON: a broken chunked framing, a content coding.
/// Each is answered with OpenAI's error object naming the reason, never a 500 or a misleading invalid_json.
/// </summary>
public sealed class RequestBodyFaultTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private Uri Server => gateway.Client.BaseAddress!;

    private static string ChatBody => Chat(GatewayFixture.Model, "x");

    [Fact]
    public async Task ChatCompletions_MalformedChunkedBody_400NotA500()
    {
        var answer = await RawHttp.SendAsync(
            Server,
            "POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");

        Assert.Equal(400, answer.Status);
        var error = answer.Error();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("malformed_request", error.GetProperty("code").GetString());
        Assert.Contains("chunk", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("x-unknown")]
    public async Task ChatCompletions_ContentEncodingNotImplemented_415NamingIt(string coding)
    {
        using var content = Json(ChatBody);
        content.Headers.ContentEncoding.Add(coding);

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("unsupported_content_encoding", error.GetProperty("code").GetString());
        Assert.Contains(coding, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_IdentityContentEncoding_Accepted()
    {
        using var content = Json(ChatBody);
        content.Headers.ContentEncoding.Add("identity");

        using var response = await gateway.Client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
