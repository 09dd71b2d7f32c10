using System.Net;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// OpenAI's SDKs retry every 5xx unless the answer's <c>x-should-retry</c> says otherwise: a worker failure that no
/// retry can fix says false, so an SDK does not run the same failing generation twice more.
/// </summary>
public sealed class ShouldRetryGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task ChatCompletions_FailureNoRetryCanFix_502WithShouldRetryFalse()
    {
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "final before its tokens", "")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
    }

    [Fact]
    public async Task ChatCompletions_FailureAnotherWorkerCanServe_503WithShouldRetryTrue()
    {
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "worker stopping", "")));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("x-should-retry")));
    }

    [Fact]
    public async Task ChatCompletions_ClientError_NoShouldRetryHeader()
    {
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "too long", "")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
    }
}
