using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FsCheck.Xunit;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// Whatever bytes a client posts, the gateway answers with a 2xx or with a 4xx carrying a well-formed
/// OpenAI error object — never a 5xx and never a hang. The fake worker makes 2xx answers fast.
/// </summary>
public sealed class ArbitraryJsonPropertyTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(10);

    [Property(MaxTest = 300, Arbitrary = [typeof(JsonBodyArbitrary)])]
    public bool ChatCompletions_ArbitraryBody_Answers2xxOr4xxWithErrorObject(JsonBody body) =>
        Task.Run(() => CheckAsync(body)).GetAwaiter().GetResult();

    [Theory]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded directly
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong encoding of '/'
    public async Task ChatCompletions_ContentBytesNotUtf8_400InvalidUnicodeNamingTheContent(byte[] invalid)
    {
        var prefix = "{\"model\":\"" + PolicyGatewayFixture.Model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a";
        var body = Encoding.UTF8.GetBytes(prefix).Concat(invalid).Concat(Encoding.UTF8.GetBytes("\"}]}")).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PolicyGatewayFixture.OpenKey);

        using var response = await gateway.Client.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(400, (int)response.StatusCode);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal("invalid_unicode", error.GetProperty("code").GetString());
        Assert.Equal("messages[0].content", error.GetProperty("param").GetString());
        Assert.Contains("not UTF-8", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<bool> CheckAsync(JsonBody body)
    {
        using var timeout = new CancellationTokenSource(PerRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(body.Bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PolicyGatewayFixture.OpenKey);

        // A hang surfaces as TaskCanceledException here, which fails the property with the body that caused it.
        using var response = await gateway.Client.SendAsync(request, timeout.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
            {
                Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
            }
            else
            {
                using var completion = JsonDocument.Parse(text);
                Assert.Equal("chat.completion", completion.RootElement.GetProperty("object").GetString());
            }

            return true;
        }

        Assert.True(status is >= 400 and < 500, $"{status} for {body}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.GetProperty("param").ValueKind is JsonValueKind.String or JsonValueKind.Null, text);
        Assert.True(error.GetProperty("code").ValueKind is JsonValueKind.String or JsonValueKind.Null, text);
        return true;
    }
}
