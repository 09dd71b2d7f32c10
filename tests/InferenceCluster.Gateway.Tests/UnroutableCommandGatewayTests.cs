using System.Net;
using System.Text.Json;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Tests.Fakes;
using InferenceCluster.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
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
    public async Task ChatCompletions_CommandAlwaysReturned_OneWarningLinePerReturnWithoutStackTraceAndCountedByItsCode()
    {
        // Each return logged the MessageReturnedException with its stack trace (16 lines for the case the resends exist
        // for, a deleted queue), and the line said neither what the broker answered nor which queue.
        using var operations = new MetricCollector<double>(null, GatewayTelemetry.SourceName, "gen_ai.client.operation.duration");
        var before = Broker.Returned;
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions", Json(Chat(GatewayFixture.Model, FakeReturningBroker.AlwaysReturned))).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var requestId = Assert.Single(Broker.Returned.Except(before));
        var lines = gateway.Logs.Collector.GetSnapshot()
            .Where(record => record.Category?.EndsWith(".CompletionDispatcher", StringComparison.Ordinal) == true && record.Message.Contains(requestId.ToString(), StringComparison.Ordinal))
            .ToList();
        Assert.Equal(Sends, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Equal(LogLevel.Warning, line.Level);
            Assert.Null(line.Exception);
            Assert.DoesNotContain('\n', line.Message);
            Assert.Contains("312 NO_ROUTE", line.Message, StringComparison.Ordinal);
            Assert.Contains($"'generate-{GatewayFixture.Model}'", line.Message, StringComparison.Ordinal);
        });
        for (var resend = 1; resend < Sends; resend++)
        {
            Assert.Contains($"send {resend} of at most {Sends} returned", lines[resend - 1].Message, StringComparison.Ordinal);
            Assert.Contains("sending it again in", lines[resend - 1].Message, StringComparison.Ordinal);
        }

        Assert.Contains($"send {Sends} of at most {Sends} returned", lines[^1].Message, StringComparison.Ordinal);
        Assert.Contains("refused with 503 model_queue_unroutable", lines[^1].Message, StringComparison.Ordinal);

        // Still counted as the request's failure, by its code.
        Assert.Contains(operations.GetMeasurementSnapshot(), operation =>
            operation.Tags.TryGetValue(TelemetryAttributes.ErrorType, out var type) && Equals(type, "model_queue_unroutable"));
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
