using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests;

public sealed class GatewayOptionsTests
{
    [Theory]
    [InlineData("Gateway:Defaults:Temperature", "5", "Gateway:Defaults:Temperature")]
    [InlineData("Gateway:Defaults:TopP", "0", "Gateway:Defaults:TopP")]
    [InlineData("Gateway:MaxRequestBodyBytes", "10", "Gateway:MaxRequestBodyBytes")]
    [InlineData("Gateway:RequestTimeout", "00:00:00", "Gateway:RequestTimeout")]
    [InlineData("Gateway:Cache:RedisTimeout", "00:01:00", "Gateway:Cache:RedisTimeout")]
    [InlineData("Gateway:ReceiveProbeInterval", "00:00:00", "Gateway:ReceiveProbeInterval")]
    [InlineData("Gateway:ReceiveProbeTimeout", "00:00:00.010", "Gateway:ReceiveProbeTimeout")]
    [InlineData("Gateway:ReceiveProbeTimeout", "00:00:00.500", "Gateway:ReceiveProbeTimeout")]

    // A probe round longer than the reply queue's expiry lets the queue, and the replies in it, go unnoticed.
    [InlineData("Gateway:ReceiveProbeInterval", "00:01:58", "Gateway:ReplyQueueExpiry")]

    // Two rounds of a send and an arrival each (4 x 30 s) plus the interval outlast the 2 min expiry.
    [InlineData("Gateway:ReceiveProbeTimeout", "00:00:30", "Gateway:ReplyQueueExpiry")]
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
}
