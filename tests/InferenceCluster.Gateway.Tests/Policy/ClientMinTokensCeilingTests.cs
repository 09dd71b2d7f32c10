using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// A min_tokens the client sent is weighed against the max_tokens the request runs with after the key's policy: above a
/// ceiling from the profile or the defaults it is a 400, a pin or range that raises the ceiling above it lets it run as
/// sent, and a ceiling the key's policy lowers under it takes the floor down with it (the policy outranks the client).
/// </summary>
public sealed class ClientMinTokensCeilingTests
{
    private static readonly SamplingSettings Creative = new() { Temperature = 0.60, TopP = 0.99, MaxTokens = 1024 };

    private static (GenerationConfig Config, IReadOnlyList<PolicyAdjustment> Adjustments) Resolve(SamplingSettings requested, KeyPolicy? policy) =>
        GenerationPolicy.Resolve(requested, ServerDefaults.BuiltIn, "creative", Creative, coupled: null, policy);

    [Fact]
    public void Resolve_ClientMinTokensAboveProfileMaxTokens_Rejected()
    {
        var error = Assert.Throws<OpenAIException>(() => Resolve(new SamplingSettings { MinTokens = 2000 }, policy: null));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("min_tokens", error.Param);
        Assert.Contains("1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_KeyPinRaisesMaxTokensAboveTheClientsMinTokens_RunsAsSent()
    {
        var (config, adjustments) = Resolve(new SamplingSettings { MinTokens = 2000 }, new KeyPolicy { Pins = { ["max_tokens"] = 4096 } });

        Assert.Equal((4096, 2000), (config.MaxTokens, config.MinTokens));
        Assert.False(config.FitMinTokensToContext);
        Assert.DoesNotContain(adjustments, a => a.Param == "min_tokens");
    }

    [Fact]
    public void Resolve_KeyRangeRaisesMaxTokensAboveTheClientsMinTokens_RunsAsSent()
    {
        var (config, _) = Resolve(
            new SamplingSettings { MinTokens = 2000 }, new KeyPolicy { Ranges = { ["max_tokens"] = new ParameterRange { Min = 3000 } } });

        Assert.Equal((3000, 2000), (config.MaxTokens, config.MinTokens));
    }

    [Fact]
    public void Resolve_KeyPinRaisesMaxTokensButNotToTheClientsMinTokens_FloorLoweredToThePin()
    {
        var (config, adjustments) = Resolve(new SamplingSettings { MinTokens = 5000 }, new KeyPolicy { Pins = { ["max_tokens"] = 4096 } });

        Assert.Equal((4096, 4096), (config.MaxTokens, config.MinTokens));
        Assert.Equal("min_tokens=4096 (max_tokens)", adjustments[^1].ToString());
    }

    [Fact]
    public void Resolve_KeyPinEqualToTheProfilesMaxTokens_FloorLoweredToThePinAsAnyOtherPin()
    {
        // The pin changes nothing here, but it is still the key's ceiling: a pin of 1000 lowers the floor, so 1024 does too.
        var (config, adjustments) = Resolve(new SamplingSettings { MinTokens = 2000 }, new KeyPolicy { Pins = { ["max_tokens"] = 1024 } });

        Assert.Equal((1024, 1024), (config.MaxTokens, config.MinTokens));
        Assert.Equal("min_tokens=1024 (max_tokens)", adjustments[^1].ToString());
    }

    [Fact]
    public void Resolve_KeyPolicyLeavesMaxTokensToTheProfile_ClientsMinTokensAboveIt_Rejected()
    {
        var error = Assert.Throws<OpenAIException>(() =>
            Resolve(new SamplingSettings { MinTokens = 5000 }, new KeyPolicy { Ranges = { ["temperature"] = new ParameterRange { Max = 2 } } }));

        Assert.Equal("min_tokens", error.Param);
    }

    [Fact]
    public void Resolve_KeyCapEqualToTheProfilesMaxTokens_FloorLoweredToTheCapAsAnyLowerCap()
    {
        // A cap of 1000 lowers a floor of 2000; one of 1024, the profile's own max_tokens, is the key's ceiling just as well.
        var (config, adjustments) = Resolve(new SamplingSettings { MinTokens = 2000 }, new KeyPolicy { MaxTokensCap = 1024 });

        Assert.Equal((1024, 1024), (config.MaxTokens, config.MinTokens));
        Assert.Equal("min_tokens=1024 (max_tokens)", adjustments[^1].ToString());
    }

    [Fact]
    public void Resolve_KeyCapLowersMaxTokensUnderTheClientsMinTokens_FloorLoweredWithIt()
    {
        var (config, adjustments) = Resolve(new SamplingSettings { MinTokens = 800 }, new KeyPolicy { MaxTokensCap = 512 });

        Assert.Equal((512, 512), (config.MaxTokens, config.MinTokens));
        Assert.Equal("min_tokens=512 (capped)", adjustments[^1].ToString());
    }
}
