using System.Net;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A command the broker returns unroutable (the model's queue deleted) is sent again a few times, and if it keeps coming
/// back the request is refused with a retryable 503 naming the cause, at once rather than at its deadline.
/// </summary>
public sealed class UnroutableCommandGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    /// <summary>The first send and the four sends again.</summary>
    private const int Sends = 5;

    // Well short of the fixture's request timeout (1 minute): only the refusal can answer within it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private FakeReturningBroker Broker => gateway.Services.GetRequiredService<FakeReturningBroker>();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_CommandAlwaysReturned_503ModelQueueUnroutableAfterFiveSends(bool stream)
    {
        var before = Broker.Returned;
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions", Json(Chat(GatewayFixture.Model, FakeReturningBroker.AlwaysReturned, stream ? ""","stream":true""" : ""))).WaitAsync(Patience);

        await AssertUnroutableAsync(response);
        var requestId = Assert.Single(Broker.Returned.Except(before));
        Assert.Equal(Sends, Broker.Returns(requestId));
    }

    [Fact]
    public async Task Completions_CommandAlwaysReturned_503ModelQueueUnroutable()
    {
        using var response = await gateway.Client.PostAsync(
            "/v1/completions", Json($$"""{"model":"{{GatewayFixture.Model}}","prompt":"{{FakeReturningBroker.AlwaysReturned}}"}""")).WaitAsync(Patience);

        await AssertUnroutableAsync(response);
    }

    [Fact]
    public async Task Responses_StreamedCommandAlwaysReturned_503ModelQueueUnroutable()
    {
        using var response = await gateway.Client.PostAsync(
            "/v1/responses", Json($$"""{"model":"{{GatewayFixture.Model}}","input":"{{FakeReturningBroker.AlwaysReturned}}","stream":true}""")).WaitAsync(Patience);

        await AssertUnroutableAsync(response);
    }

    [Fact]
    public async Task ChatCompletions_CommandReturnedOnce_SentAgainAndAnswered()
    {
        var before = Broker.Returned;
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions", Json(Chat(GatewayFixture.Model, FakeReturningBroker.ReturnedOnce))).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(FakeReturningBroker.ReturnedOnce, answer.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        var requestId = Assert.Single(Broker.Returned.Except(before));
        Assert.Equal(1, Broker.Returns(requestId));
    }

    private static async Task AssertUnroutableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("x-should-retry")));
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var error = await ErrorOf(response);
        Assert.Equal("model_queue_unroutable", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains(GatewayFixture.Model, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
