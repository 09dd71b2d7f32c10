using System.Net;
using System.Net.Http.Headers;
using System.Text;
using InferenceCluster.Gateway.Tests.Policy;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Every answer, an error included, carries <c>X-Request-Id</c>: the client's own, or one the gateway made.</summary>
public sealed class RequestIdGatewayTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    private static readonly string Chat =
        $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"x"}],"max_tokens":4}""";

    private static readonly string StreamedChat =
        $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"x"}],"max_tokens":4,"stream":true}""";

    public static TheoryData<string, string, string?, string?, HttpStatusCode> Answers() => new()
    {
        { "POST", "/v1/chat/completions", PolicyGatewayFixture.OpenKey, Chat, HttpStatusCode.OK },
        { "POST", "/v1/chat/completions", PolicyGatewayFixture.OpenKey, StreamedChat, HttpStatusCode.OK },
        { "POST", "/v1/chat/completions", PolicyGatewayFixture.OpenKey, """{"model":5}""", HttpStatusCode.BadRequest },
        { "POST", "/v1/chat/completions", null, Chat, HttpStatusCode.Unauthorized },
        { "GET", "/v1/models", PolicyGatewayFixture.OpenKey, null, HttpStatusCode.OK },
        { "GET", "/v1/no-such-endpoint", PolicyGatewayFixture.OpenKey, null, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task AnyAnswer_ClientSentRequestId_EchoesIt(string method, string path, string? key, string? body, HttpStatusCode status)
    {
        var id = "client-" + Guid.NewGuid().ToString("N");

        using var response = await Send(method, path, key, body, id);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal([id], response.Headers.GetValues("X-Request-Id"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("has a space")]
    [InlineData("an-id-longer-than-128-characters-an-id-longer-than-128-characters-an-id-longer-than-128-characters-an-id-longer-than-128-characters")]
    public async Task ChatCompletions_NoUsableClientId_GatewayMakesOnePerRequest(string? sent)
    {
        using var first = await Send("POST", "/v1/chat/completions", PolicyGatewayFixture.OpenKey, Chat, sent);
        using var second = await Send("POST", "/v1/chat/completions", PolicyGatewayFixture.OpenKey, Chat, sent);

        var firstId = Assert.Single(first.Headers.GetValues("X-Request-Id"));
        var secondId = Assert.Single(second.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^req_[0-9a-f]{48}$", firstId);
        Assert.Matches("^req_[0-9a-f]{48}$", secondId);
        Assert.NotEqual(firstId, secondId);
    }

    [Fact]
    public async Task ChatCompletions_TwoRequestsOfOneClientTrace_EachGetsItsOwnId()
    {
        // A traced client sends the same trace id with every call it makes within one of its own operations. This
        // client's handler sends the header as written, not a trace context of the test's own.
        const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        using var handler = new SocketsHttpHandler { ActivityHeadersPropagator = null };
        using var client = new HttpClient(handler) { BaseAddress = gateway.Client.BaseAddress };
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent(Chat, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PolicyGatewayFixture.OpenKey);
            request.Headers.TryAddWithoutValidation("traceparent", TraceParent);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(Assert.Single(response.Headers.GetValues("X-Request-Id")));
        }

        Assert.All(ids, id => Assert.StartsWith("req_4bf92f3577b34da6a3ce929d0e0e4736", id, StringComparison.Ordinal));
        Assert.NotEqual(ids[0], ids[1]);
    }

    private async Task<HttpResponseMessage> Send(string method, string path, string? key, string? body, string? requestId)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (requestId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", requestId);
        }

        return await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
