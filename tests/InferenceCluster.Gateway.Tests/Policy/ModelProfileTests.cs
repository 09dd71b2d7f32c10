using InferenceCluster.Gateway.Policy;

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
}
