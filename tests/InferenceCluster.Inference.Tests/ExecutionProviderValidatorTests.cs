using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>Inference:ExecutionProvider=cuda is a setting only the CUDA build honours; the other providers run on any build.</summary>
public sealed class ExecutionProviderValidatorTests
{
    [Theory]
    [InlineData("cuda", false, false)]
    [InlineData("cuda", true, true)]
    [InlineData("cpu", false, true)]
    [InlineData("simulated", false, true)]
    public void Validate_ProviderOnABuild_SucceedsOnlyWhenTheBuildHasIt(string provider, bool cudaBuild, bool valid)
    {
        var result = new ExecutionProviderValidator(cudaBuild).Validate(null, new InferenceOptions { ExecutionProvider = provider });

        Assert.Equal(valid, result.Succeeded);
    }
}
