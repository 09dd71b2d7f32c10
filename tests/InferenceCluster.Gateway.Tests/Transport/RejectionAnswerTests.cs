using System.Text;
using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Transport;

namespace InferenceCluster.Gateway.Tests.Transport;

public sealed class RejectionAnswerTests
{
    private static readonly OpenAIException Refusal = OpenAIException.Unreadable(400, "Invalid request target: ''");

    [Fact]
    public void Replace_KestrelsEmptyRefusal_CarriesTheErrorAndKeepsKestrelsOtherHeaders()
    {
        var written = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nDate: Sun, 06 Dec 2026 22:00:00 GMT\r\nServer: Kestrel\r\n\r\n"u8;

        var answer = Encoding.ASCII.GetString(RejectionAnswer.Replace(written, Refusal));

        var (head, body) = (answer[..answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)], answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Type: application/json\r\n", head + "\r\n", StringComparison.Ordinal);
        Assert.Contains($"\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", head + "\r\n", StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Length: 0", head, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", head + "\r\n", StringComparison.Ordinal);
        Assert.Contains("\r\nServer: Kestrel", head, StringComparison.Ordinal);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal("malformed_request", error.GetProperty("code").GetString());
        Assert.Equal("The request could not be read: Invalid request target.", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n")]
    [InlineData("\u0000\u0000\u0012\u0004\u0000\u0000\u0000\u0000\u0000")]
    public void Replace_AnythingButKestrelsEmptyRefusal_WrittenAsItWas(string written)
    {
        var bytes = Encoding.Latin1.GetBytes(written);

        Assert.Equal(bytes, RejectionAnswer.Replace(bytes, Refusal));
    }
}
