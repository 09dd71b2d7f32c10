using System.Net;
using System.Text.Json;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A worker whose consumer fails on a command (the transport moves it to the error queue, so nothing runs it any more)
/// ends the request with a retryable error at once, not at its deadline.
/// </summary>
public sealed class WorkerFaultGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // Well short of the fixture's request timeout (1 minute): only the fault can answer within it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ChatCompletions_WorkerConsumerFaults_Returns503WorkerFaultBeforeTheDeadline()
    {
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "consumer faults"))).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("x-should-retry")));
        var error = await ErrorOf(response);
        Assert.Equal("worker_fault", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_WorkerConsumerFaultsMidStream_SendsWorkerFaultEventThenDone()
    {
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions", Json(Chat(GatewayFixture.Model, "fault after first delta", ""","stream":true"""))).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Events(await response.Content.ReadAsStringAsync().WaitAsync(Patience));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("\"content\":\"first\"", events[1], StringComparison.Ordinal);
        Assert.Equal("worker_fault", JsonDocument.Parse(events[^2]).RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
