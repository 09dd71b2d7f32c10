using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

/// <summary>A probe that cannot be sent is logged without the broker's user or password, which a bus error names.</summary>
public sealed class ProbeSendFailuresTests
{
    [Fact]
    public void Failed_BusErrorNamingTheBrokerWithItsUser_NeitherTheWarningNorTheRepeatsCarryUserOrPassword()
    {
        var log = new FakeLogger();
        var failures = new ProbeSendFailures(new FakeTimeProvider(), log, "Worker:ReceiveProbeTimeout", "this worker");

        failures.Failed("GatewayHeartbeat-w1", new InvalidOperationException(LogAssert.BusError), TimeSpan.FromSeconds(5));
        failures.Failed("GatewayHeartbeat-w1", new InvalidOperationException(LogAssert.BusError), TimeSpan.FromSeconds(5));

        var records = log.Collector.GetSnapshot();
        Assert.Equal(2, records.Count);
        Assert.Contains("(InvalidOperationException: Broker unreachable: ***@rabbit:5672/", records[0].Message, StringComparison.Ordinal);
        Assert.All(records, record => LogAssert.NoBrokerCredentials(record));
    }
}
