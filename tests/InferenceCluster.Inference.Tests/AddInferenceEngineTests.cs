using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Inference.Tests;

/// <summary>Registration binds and validates the "Inference" section and loads the bundled test model by default.</summary>
public sealed class AddInferenceEngineTests
{
    [Fact]
    public async Task AddInferenceEngine_NoModelPath_ServesBundledPagedTestModel()
    {
        await using var provider = Build(new() { ["Inference:MaxConcurrency"] = "2" });

        var engine = provider.GetRequiredService<IInferenceEngine>();

        Assert.Equal("deepseek-r1-test-tiny", engine.Model.Id);
        Assert.Equal("dynamic", engine.Model.BatchingMode);
        Assert.Equal(2, engine.Model.Capacity);
        Assert.True(engine.Model.IsReasoningModel);
    }

    [Fact]
    public async Task AddInferenceEngine_SimulatedProvider_ServesTheTestModelWithoutItsWeights()
    {
        await using var provider = Build(new() { ["Inference:ExecutionProvider"] = "simulated", ["Inference:Simulation:MaxBatch"] = "4" });

        var engine = provider.GetRequiredService<IInferenceEngine>();

        Assert.Equal("deepseek-r1-test-tiny", engine.Model.Id);
        Assert.Equal("simulated", engine.Model.BatchingMode);
        Assert.StartsWith("sim-", engine.Model.Revision, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Inference:ExecutionProvider", "tpu", "ExecutionProvider")]
    [InlineData("Inference:ExecutionProvider", "", "Inference:ExecutionProvider")]
    [InlineData("Inference:MaxConcurrency", "0", "MaxConcurrency")]
    [InlineData("Inference:NoProgressTimeout", "00:00:00", "NoProgressTimeout")]
    [InlineData("Inference:IntraOpThreads", "-1", "IntraOpThreads")]
    [InlineData("Inference:Simulation:MaxBatch", "0", "Inference:Simulation:MaxBatch")]
    [InlineData("Inference:Simulation:DecodeBaseMilliseconds", "0", "Inference:Simulation:DecodeBaseMilliseconds")]
    [InlineData("Inference:Simulation:EndOfSequenceProbability", "1.5", "Inference:Simulation:EndOfSequenceProbability")]
    public async Task AddInferenceEngine_InvalidSetting_ValidationNamesIt(string key, string value, string name)
    {
        await using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<Hosting.InferenceOptions>>().Value);

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "Inference:ModelPath", "does not exist")]
    [InlineData("simulated", "Inference:ModelPath", "does not exist")]
    [InlineData("cpu", "Inference:ClassicModelPath", "has no genai_config.json")]
    public async Task AddInferenceEngine_FolderThatIsNoModel_FailsNamingTheSetting(string provider, string key, string why)
    {
        var folder = Directory.CreateTempSubdirectory("inference-no-model-");
        try
        {
            var path = key == "Inference:ModelPath" ? Path.Combine(folder.FullName, "missing") : folder.FullName;
            await using var services = Build(new() { ["Inference:ExecutionProvider"] = provider, [key] = path });

            var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IInferenceEngine>());

            Assert.Contains($"{key}: '{path}' {why}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AddInferenceEngine_ValueOfTheWrongType_ValidationNamesTheKeyButNotTheValue()
    {
        await using var provider = Build(new() { ["Inference:MaxConcurrency"] = "lots" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<Hosting.InferenceOptions>>().Value);

        Assert.Contains("Inference:MaxConcurrency", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddInferenceEngine_ClassicPathToAPagedModel_IsAnInvalidSetting()
    {
        await using var provider = Build(new() { ["Inference:ClassicModelPath"] = Hosting.TestModel.PagedPath });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IInferenceEngine>());

        Assert.Contains("Inference:ClassicModelPath", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddInferenceEngine(configuration).BuildServiceProvider();
    }
}
