using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Tests.Policy;

public sealed class GenerationPolicyKeyPolicyTests
{
    private static readonly GenerationConfig Base = new()
    {
        DoSample = true, Temperature = 0.55, TopP = 0.95, TopK = 0, MaxTokens = 1024, MinTokens = 0, RepetitionPenalty = 1.02,
    };

    private static (GenerationConfig Config, List<PolicyAdjustment> Adjustments) Resolved(GenerationConfig? config = null, params PolicyAdjustment[] earlier) =>
        (config ?? Base, [.. earlier]);

    private static (GenerationConfig Config, List<PolicyAdjustment> Adjustments) Apply(
        (GenerationConfig Config, List<PolicyAdjustment> Adjustments) resolved, SamplingSettings requested, KeyPolicy? policy) =>
        (GenerationPolicy.ApplyKeyPolicy(resolved.Config, resolved.Adjustments, requested, policy), resolved.Adjustments);

    [Fact]
    public void Apply_NoPolicy_ReturnsInputUnchanged()
    {
        var input = Resolved();

        var result = Apply(input, new SamplingSettings(), null);

        Assert.Same(input.Config, result.Config);
        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Apply_Pin_ReplacesClientValueAndKeepsEarlierAdjustments()
    {
        var earlier = new PolicyAdjustment("max_tokens", 2048, "profile math");
        var policy = new KeyPolicy { Pins = { ["top_p"] = 0.9 } };

        var result = Apply(Resolved(Base with { TopP = 0.3 }, earlier), new SamplingSettings { TopP = 0.3 }, policy);

        Assert.Equal(0.9, result.Config.TopP);
        Assert.Equal(["max_tokens=2048 (profile math)", "top_p=0.9 (pinned)"], result.Adjustments.Select(a => a.ToString()));
    }

    [Fact]
    public void Apply_PinEqualToValue_NoAdjustment()
    {
        var result = Apply(Resolved(), new SamplingSettings(), new KeyPolicy { Pins = { ["top_p"] = 0.95 } });

        Assert.Empty(result.Adjustments);
    }

    [Fact]
    public void Apply_ClientValueOutsideRange_Rejected()
    {
        var policy = new KeyPolicy { Ranges = { ["temperature"] = new ParameterRange { Min = 0.1, Max = 1.0 } } };

        var error = Assert.Throws<OpenAIException>(() =>
            Apply(Resolved(Base with { Temperature = 1.5 }), new SamplingSettings { Temperature = 1.5 }, policy));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("temperature", error.Param);
        Assert.Equal(GenerationPolicy.OutsideRangeCode, error.Code);
    }

    [Fact]
    public void Apply_ServerValueOutsideRange_Clamped()
    {
        var policy = new KeyPolicy { Ranges = { ["top_k"] = new ParameterRange { Min = 10, Max = 50 } } };

        var result = Apply(Resolved(), new SamplingSettings(), policy);

        Assert.Equal(10, result.Config.TopK);
        Assert.Equal("top_k=10 (range)", result.Adjustments.Single().ToString());
    }

    [Fact]
    public void Apply_PinnedParameter_NotRangeChecked()
    {
        var policy = new KeyPolicy
        {
            Pins = { ["temperature"] = 0.7 },
            Ranges = { ["temperature"] = new ParameterRange { Max = 0.5 } },
        };

        var result = Apply(Resolved(Base with { Temperature = 1.9 }), new SamplingSettings { Temperature = 1.9 }, policy);

        Assert.Equal(0.7, result.Config.Temperature);
    }

    [Fact]
    public void Apply_MaxTokensOverCap_LoweredWithMinTokens()
    {
        var result = Apply(
            Resolved(Base with { MaxTokens = 900, MinTokens = 800 }),
            new SamplingSettings { MaxTokens = 900, MinTokens = 800 },
            new KeyPolicy { MaxTokensCap = 512 });

        Assert.Equal(512, result.Config.MaxTokens);
        Assert.Equal(512, result.Config.MinTokens);
        Assert.Equal(["max_tokens=512 (capped)", "min_tokens=512 (capped)"], result.Adjustments.Select(a => a.ToString()));
    }

    [Theory]
    [InlineData(1024, 1.02)]
    [InlineData(1025, 1.15)]
    public void Apply_LongOutput_RaisesRepetitionPenaltyAboveThreshold(int maxTokens, double expected)
    {
        var policy = new KeyPolicy { LongOutput = new LongOutputRule { AboveTokens = 1024, RepetitionPenalty = 1.15 } };

        var result = Apply(Resolved(Base with { MaxTokens = maxTokens }), new SamplingSettings { MaxTokens = maxTokens }, policy);

        Assert.Equal(expected, result.Config.RepetitionPenalty);
    }

    [Fact]
    public void Apply_LongOutputAfterCap_UsesCappedLength()
    {
        var policy = new KeyPolicy { MaxTokensCap = 1000, LongOutput = new LongOutputRule { AboveTokens = 1024, RepetitionPenalty = 1.15 } };

        var result = Apply(Resolved(Base with { MaxTokens = 4000 }), new SamplingSettings { MaxTokens = 4000 }, policy);

        Assert.Equal(1000, result.Config.MaxTokens);
        Assert.Equal(1.02, result.Config.RepetitionPenalty);
    }

    [Fact]
    public void Apply_LongOutputWithHigherClientPenalty_KeepsClientValue()
    {
        var policy = new KeyPolicy { LongOutput = new LongOutputRule { AboveTokens = 100, RepetitionPenalty = 1.15 } };

        var result = Apply(Resolved(Base with { RepetitionPenalty = 1.3 }), new SamplingSettings { RepetitionPenalty = 1.3 }, policy);

        Assert.Equal(1.3, result.Config.RepetitionPenalty);
        Assert.Empty(result.Adjustments);
    }
}
