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
    [InlineData("Gateway:Profiles:creative:MinTokens", "1025", "Gateway:Profiles:creative:MinTokens (1025) must not exceed Gateway:Profiles:creative:MaxTokens (1024)")]
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

    // A floor above a ceiling set in another section binds only requests without a max_tokens of their own, and the merge
    // lowers it for them and reports it: a working setup, not one to refuse at start.
    [Theory]
    [InlineData("Gateway:Profiles:long:MinTokens=1500", "Gateway:Defaults:MaxTokens=")]
    [InlineData("Gateway:Profiles:long:MinTokens=1500")]
    [InlineData("Gateway:Defaults:MinTokens=100", "Gateway:Profiles:short:MaxTokens=50")]
    [InlineData("Gateway:Defaults:MinTokens=1100", "Gateway:Defaults:MaxTokens=1200", "Gateway:Profiles:creative:MaxTokens=1024")]
    public async Task Start_FloorAboveACeilingSetInAnotherSection_Starts(params string[] settings)
    {
        var values = new Dictionary<string, string?> { ["Gateway:EmbeddedWorker"] = "false" };
        foreach (var setting in settings)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            values[key] = value.Length == 0 ? null : value;
        }

        await using var app = HermeticGateway.Create(builder => builder.Configuration.AddInMemoryCollection(values));
        await app.StartAsync();
        await app.StopAsync();
    }

    // The defaults' MinTokens is weighed against the defaults' own ceiling, configured or built in: 1500 alone stops the
    // start as 1500 beside a MaxTokens of 1024 does.
    [Theory]
    [InlineData("Gateway:Defaults:MinTokens=1500", "Gateway:Defaults:MaxTokens=")]
    [InlineData("Gateway:Defaults:MinTokens=1500", "Gateway:Defaults:MaxTokens=1024")]
    public async Task Start_DefaultsFloorAboveTheDefaultsCeiling_FailsNamingBoth(params string[] settings)
    {
        var values = new Dictionary<string, string?> { ["Gateway:EmbeddedWorker"] = "false" };
        foreach (var setting in settings)
        {
            var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            values[key] = value.Length == 0 ? null : value;
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = HermeticGateway.Create(builder => builder.Configuration.AddInMemoryCollection(values));
            await app.StartAsync();
        });

        Assert.Contains("Gateway:Defaults:MinTokens (1500) must not exceed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Defaults:MaxTokens (1024)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1500, null, false)]
    [InlineData(1024, null, true)]
    [InlineData(1500, 2000, true)]
    public void Validate_DefaultMinTokens_WeighedAgainstTheConfiguredOrBuiltInMaxTokens(int minTokens, int? maxTokens, bool valid)
    {
        var result = new SamplingDefaultsValidator().Validate(null, new SamplingSettings { MinTokens = minTokens, MaxTokens = maxTokens });

        Assert.Equal(valid, result.Succeeded);
    }
}
