using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Policy;

public sealed class PolicyOptionsTests
{
    private static readonly string Hash = PolicyGatewayFixture.Sha256Hex("k");

    [Theory]
    [InlineData("Gateway:ApiKeys:0:Sha256", "not-a-hash", "Gateway:ApiKeys:0:Sha256")]
    [InlineData("Gateway:ApiKeys:0:Policy:Pins:temprature", "0.5", "Gateway:ApiKeys:0:Policy:Pins:temprature")]
    [InlineData("Gateway:ApiKeys:0:Policy:Pins:max_tokens", "10.5", "Gateway:ApiKeys:0:Policy:Pins:max_tokens")]
    [InlineData("Gateway:ApiKeys:0:Policy:Pins:top_p", "5", "Gateway:ApiKeys:0:Policy:Pins:top_p")]
    [InlineData("Gateway:ApiKeys:0:Policy:Pins:max_tokens", "0", "Gateway:ApiKeys:0:Policy:Pins:max_tokens")]
    [InlineData("Gateway:ApiKeys:0:Policy:Ranges:top_p:Min", "0.9", "Gateway:ApiKeys:0:Policy:Ranges:top_p")]
    [InlineData("Gateway:ApiKeys:0:Policy:RequestsPerMinute", "0", "Gateway:ApiKeys:0:Policy:RequestsPerMinute")]
    [InlineData("Gateway:Profiles:fast:TopP", "0", "Gateway:Profiles:fast:TopP")]
    [InlineData("Gateway:Profiles:long:MaxTokens", "0", "Gateway:Profiles:long:MaxTokens")]
    [InlineData("Gateway:Profiles:math:MinTokens", "2049", "Gateway:Profiles:math:MinTokens")]
    [InlineData("Gateway:Profiles:short:MinTokens", "1025", "Gateway:Profiles:short:MinTokens (1025) must not exceed Gateway:Defaults:MaxTokens (1024)")]
    [InlineData("Gateway:Defaults:MinTokens", "1025", "Gateway:Defaults:MinTokens (1025) must not exceed Gateway:Defaults:MaxTokens (1024)")]
    [InlineData("Gateway:CoupledTopP:Bands:0:TopPMax", "1.5", "Gateway:CoupledTopP:Bands:0")]
    [InlineData("Gateway:MaxQueuedPerModel", "-1", "Gateway:MaxQueuedPerModel")]
    public async Task Start_InvalidPolicySetting_FailsNamingIt(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = HermeticGateway.Create(builder =>
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Gateway:EmbeddedWorker"] = "false",
                    ["Gateway:ApiKeys:0:Name"] = "k",
                    ["Gateway:ApiKeys:0:Sha256"] = Hash,
                    ["Gateway:ApiKeys:0:Policy:Ranges:top_p:Max"] = "0.8",
                    [key] = value,
                }));
            await app.StartAsync();
        });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultMinTokensAboveTheBuiltInMaxTokens_FailsNamingBoth()
    {
        var result = new SamplingDefaultsValidator().Validate(null, new SamplingSettings { MinTokens = 1025 });

        Assert.Equal(
            "Gateway:Defaults:MinTokens (1025) must not exceed Gateway:Defaults:MaxTokens (1024): every request would have its floor lowered.",
            Assert.Single(result.Failures!));
    }
}
