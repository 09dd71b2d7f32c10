using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Policy;

public sealed class ModelProfileTests
{
    [Theory]
    [InlineData("deepseek-r1-test-tiny", "deepseek-r1-test-tiny", null)]
    [InlineData("deepseek-r1-test-tiny:math", "deepseek-r1-test-tiny", "math")]
    [InlineData("org:model:creative", "org:model", "creative")]
    [InlineData("model:", "model", "")]
    public void Split_ModelWithOrWithoutSuffix_BaseAndProfile(string model, string expectedModel, string? expectedProfile)
    {
        var (baseId, profile) = ModelProfile.Split(model);

        Assert.Equal(expectedModel, baseId);
        Assert.Equal(expectedProfile, profile);
    }

    [Fact]
    public void Find_ProfileWithControlCharacters_MessageQuotesItEscapedAndCapped()
    {
        var profiles = new Dictionary<string, SamplingSettings> { ["math"] = new() };
        var workers = new WorkerRegistry(TimeProvider.System, Options.Create(new GatewayOptions()));

        var error = Assert.Throws<OpenAIException>(() => ModelProfile.Find("some-model:x\r\nFORGED" + new string('y', 500), profiles, workers));

        Assert.Equal("profile_not_found", error.Code);
        Assert.Contains(@"x\u000D\u000AFORGED", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, char.IsControl);
        Assert.True(error.Message.Length < 300, error.Message);
    }
}
