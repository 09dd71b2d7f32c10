using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

public sealed class GatewayOptionsTests
{
    private const string Secret = "redis-secret-42";

    [Theory]
    [InlineData("Gateway:Defaults:Temperature", "5", "Gateway:Defaults:Temperature")]
    [InlineData("Gateway:Defaults:TopP", "0", "Gateway:Defaults:TopP")]
    [InlineData("Gateway:Defaults:MinTokens", "1025", "Gateway:Defaults:MinTokens")]
    [InlineData("Gateway:MaxRequestBodyBytes", "10", "Gateway:MaxRequestBodyBytes")]
    [InlineData("Gateway:RequestTimeout", "00:00:00", "Gateway:RequestTimeout")]
    [InlineData("Gateway:Cache:RedisTimeout", "00:01:00", "Gateway:Cache:RedisTimeout")]
    [InlineData("Gateway:Cache:KeyPrefix", "", "Gateway:Cache:KeyPrefix")]
    [InlineData("Gateway:ReceiveProbeInterval", "00:00:00", "Gateway:ReceiveProbeInterval")]
    [InlineData("Gateway:ReceiveProbeTimeout", "00:00:00.010", "Gateway:ReceiveProbeTimeout")]
    [InlineData("Gateway:ReceiveProbeTimeout", "00:00:00.500", "Gateway:ReceiveProbeTimeout")]
    [InlineData("Gateway:BrokerHeartbeat", "00:00:01", "Gateway:BrokerHeartbeat must lie between 5 seconds")]
    [InlineData("Gateway:BrokerHeartbeat", "00:00:12.500", "Gateway:BrokerHeartbeat must be a whole number of seconds")]

    // A probe round longer than the reply queue's expiry lets the queue, and the replies in it, go unnoticed.
    [InlineData("Gateway:ReceiveProbeInterval", "00:01:58", "Gateway:ReplyQueueExpiry")]

    // Two rounds of a send and an arrival each (4 x 30 s) plus the interval outlast the 2 min expiry.
    [InlineData("Gateway:ReceiveProbeTimeout", "00:00:30", "Gateway:ReplyQueueExpiry")]

    // A key no setting has (a typo) was skipped by the binder: the gateway ran on the default the operator meant to change.
    [InlineData("Gateway:DrainGrce", "00:00:05", "Gateway:DrainGrce (environment variable Gateway__DrainGrce) is no setting")]
    [InlineData("GATEWAY:REQUESTTIMEOUTT", "00:00:05", "REQUESTTIMEOUTT")]
    [InlineData("Gateway:Defaults:Temprature", "0.5", "Gateway:Defaults:Temprature")]
    [InlineData("Gateway:Cache:TimeToLiv", "00:01:00", "Gateway:Cache:TimeToLiv")]
    [InlineData("Gateway:Playground:Enable", "false", "Gateway:Playground:Enable")]
    [InlineData("Gateway:Profiles:math:Temprature", "0.5", "Gateway:Profiles:math:Temprature")]
    [InlineData("Gateway:CoupledTopP:Bands:0:TopPMn", "0.5", "Gateway:CoupledTopP:Bands:0:TopPMn")]
    [InlineData("Gateway:MaxChoices:Extra", "1", "Gateway:MaxChoices:Extra")]
    public async Task Start_InvalidSetting_FailsNamingIt(string key, string value, string named)
    {
        // Options used while the proxy pipeline is built fail already at creation; the rest at start.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = HermeticGateway.Create(builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                ["Gateway:EmbeddedWorker"] = "false",
                    [key] = value,
                }));
            await app.StartAsync();
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EverySettingTheDocsName_Starts()
    {
        // The unknown-key check must know every setting the gateway reads, nested ones included.
        await using var gateway = await HermeticGateway.StartAsync(builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["GATEWAY:DRAINGRACE"] = "00:00:05",
                ["Gateway:WorkerReconnectGrace"] = "00:00:10",
                ["Gateway:BrokerHeartbeat"] = "00:00:20",
                ["Gateway:MaxQueuedPerModel"] = "16",
                ["Gateway:Defaults:MinTokens"] = "1",
                ["Gateway:Profiles:long:MaxTokens"] = "1900",
                ["Gateway:CoupledTopP:Bands:0:TopPMin"] = "0.80",
                ["Gateway:ApiKeys:0:Name"] = "team-a",
                ["Gateway:ApiKeys:0:Sha256"] = new string('a', 64),
                ["Gateway:ApiKeys:0:Policy:RequestsPerMinute"] = "60",
                ["Gateway:ApiKeys:0:Policy:Pins:temperature"] = "0.5",
                ["Gateway:Cache:RedisBreakAfter"] = "8",
                ["Gateway:Cache:MemoryEntries"] = "100",
                ["Gateway:Playground:TraceUrlTemplate"] = "http://127.0.0.1:18888/traces/detail/{traceId}",
            }));
    }

    [Fact]
    public async Task Start_EmbeddedWithTheWorkersMetricsListenerSettings_Starts()
    {
        // A shared environment gives every service the worker's listener settings; the embedded worker has no listener.
        await using var gateway = await HermeticGateway.StartAsync(builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Worker:MetricsPort"] = "0",
                ["Worker:MetricsAddress"] = "127.0.0.1",
                ["Inference:ExecutionProvider"] = "simulated",
            }));
    }

    [Fact]
    public void Create_EmbeddedWithAWorkerKeyNoSettingHas_FailsNamingIt()
    {
        using var app = HermeticGateway.Create(builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Worker:MetricsPrt"] = "0",
                ["Inference:ExecutionProvider"] = "simulated",
            }));

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Worker:MetricsPrt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData(Secret)]
    public void Create_EmbeddedWorkerNotABoolean_FailsNamingItWithoutItsValue(string value)
    {
        // It is read while the bus is added, before the options are bound: the binder's own error, quoting the value,
        // crashed the gateway with 134 and a stack trace.
        var error = Assert.Throws<OptionsValidationException>(() => HermeticGateway.Create(builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:EmbeddedWorker"] = value })));

        Assert.Contains("Gateway:EmbeddedWorker", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]

    // The client drops an endpoint it cannot read without a word, then fails every call with "No endpoints specified".
    [InlineData("127.0.0.1:not-a-port,password=" + Secret)]
    [InlineData("password=" + Secret)]

    // An option the client does not know.
    [InlineData("127.0.0.1:6379,no-such-option=1,password=" + Secret)]
    public async Task Start_RedisConnectionStringNamingNoServer_FailsNamingTheSettingWithoutItsValue(string connectionString)
    {
        var error = await Assert.ThrowsAsync<InvalidSettingException>(async () =>
        {
            await using var app = HermeticGateway.Create(builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Gateway:EmbeddedWorker"] = "false",
                    ["ConnectionStrings:redis"] = connectionString,
                }));
            await app.StartAsync();
        });

        Assert.Contains("ConnectionStrings:redis", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }
}
