using System.Net;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.Worker.Tests.Fakes;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// The gateway's own lines about a failed send or a worker's fault name the bus error without the broker's user or
/// password, which the error's message carries (MassTransit's own lines are MassTransit's).
/// </summary>
public sealed class BrokerErrorLogGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ChatCompletions_FirstSendFailsNamingTheBrokerWithItsUser_RetriedAndLoggedWithoutUserOrPassword()
    {
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions", Json(Chat(GatewayFixture.Model, FakeReturningBroker.FailsOnceNamingTheBroker))).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(Lines(".CompletionDispatcher"), line => line.Message.Contains("send attempt 1 is retried", StringComparison.Ordinal));
        Assert.Contains("(InvalidOperationException: Broker unreachable: ***@rabbit:5672/", line.Message, StringComparison.Ordinal);
        LogAssert.NoBrokerCredentials(line);
    }

    [Fact]
    public async Task ChatCompletions_WorkerFaultsNamingTheBrokerWithItsUser_LoggedWithoutUserOrPassword()
    {
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions", Json(Chat(GatewayFixture.Model, "consumer faults naming the broker"))).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var line = Assert.Single(Lines(".CompletionReplyConsumer"), line => line.Message.Contains("gave it up without an answer", StringComparison.Ordinal));
        Assert.Contains("(System.InvalidOperationException: Broker unreachable: ***@rabbit:5672/", line.Message, StringComparison.Ordinal);
        LogAssert.NoBrokerCredentials(line);
    }

    private List<Microsoft.Extensions.Logging.Testing.FakeLogRecord> Lines(string category) =>
        [.. gateway.Logs.Collector.GetSnapshot().Where(record => record.Category?.EndsWith(category, StringComparison.Ordinal) == true)];
}
