using System.Net;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>Errors a client should retry say when: <c>Retry-After</c> on 503; none on errors a retry cannot fix.</summary>
public sealed class RetryAfterGatewayTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    private static string Chat(string model, string prompt = "x") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{prompt}}"}]}""";

    [Fact]
    public async Task ChatCompletions_ModelWithoutLiveWorker_503WithRetryAfter()
    {
        using var response = await gateway.Send(PolicyGatewayFixture.OpenKey, Chat(PolicyGatewayFixture.StaleModel));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("no-such-model", "x")]
    [InlineData(PolicyGatewayFixture.Model, "too long")]
    public async Task ChatCompletions_ClientError_NoRetryAfter(string model, string prompt)
    {
        using var response = await gateway.Send(PolicyGatewayFixture.OpenKey, Chat(model, prompt));

        Assert.True((int)response.StatusCode is >= 400 and < 500);
        Assert.Null(response.Headers.RetryAfter);
    }
}
