using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Inference.Tests;

/// <summary>Registration binds and validates the "Inference" section and loads the bundled test model by default.</summary>
public sealed class AddInferenceEngineTests
{
    /// <summary>The test model's tokenizer files: a folder of them and a genai_config.json passes the checks the simulation needs.</summary>
    private static readonly string[] Tokenizer = ["tokenizer.json", "tokenizer_config.json"];

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

    [Fact]
    public async Task AddInferenceEngine_CudaOnABuildWithoutIt_ValidationNamesTheSettingAndHowToBuildIt()
    {
        // GenAI's "Cuda interface not available" names no file of the folder: the worker exited 75 and was started
        // again for ever, though no restart gives the build CUDA.
        await using var provider = Build(new() { ["Inference:ExecutionProvider"] = "cuda" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IInferenceEngine>());

        Assert.StartsWith("Inference:ExecutionProvider: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("this build has no CUDA", error.Message, StringComparison.Ordinal);
        Assert.Contains("-p:UseCuda=true", error.Message, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("{}", "genai_config.json' has no model;")]
    [InlineData("{", "genai_config.json' is not valid JSON (")]
    [InlineData("[1]", "genai_config.json' holds an array, not a JSON object")]
    [InlineData("""{"model":{"vocab_size":512}}""", "genai_config.json' has no model.context_length")]
    [InlineData("""{"model":{"context_length":"2048","vocab_size":512}}""", "genai_config.json' has model.context_length \"2048\", not a whole number above 0")]
    [InlineData("""{"model":{"context_length":2048}}""", "genai_config.json' has no model.vocab_size")]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512,"eos_token_id":[1,"x"]}}""", "genai_config.json' has model.eos_token_id \"x\", not a token id")]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512},"search":{"max_length":null}}""", null)]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512,"decoder":{"filename":"weights.onnx"}}}""", "has no weights.onnx, the model file its genai_config.json names")]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512},"engine":{"dynamic_batching":{"block_size":16.5}}}""", "has engine.dynamic_batching.block_size 16.5, not a whole number")]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512},"engine":{"dynamic_batching":{"num_blocks":1e12}}}""", "has engine.dynamic_batching.num_blocks 1e12, not a whole number")]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512},"engine":{"dynamic_batching":{"num_blocks":-4}}}""", "has engine.dynamic_batching.num_blocks -4, not a whole number")]
    public async Task AddInferenceEngine_MalformedModelFolder_FailsNamingTheSettingTheFileAndWhatIsWrong(string config, string? why)
    {
        // A genai_config.json without model.context_length was a KeyNotFoundException from the engine's load: the worker
        // crashed (134, a stack trace) where a missing folder is an invalid setting (78, one line).
        using var folder = new TestModelCopy("inference-malformed-model-", Tokenizer);
        folder.Write("genai_config.json", config);
        await using var services = Build(new() { ["Inference:ModelPath"] = folder.Path });

        if (why is null)
        {
            _ = services.GetRequiredService<IOptions<Hosting.InferenceOptions>>().Value;
            return;
        }

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Hosting.InferenceOptions>>().Value);

        Assert.StartsWith($"Inference:ModelPath: '{folder.Path}", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "tokenizer.json", null, "' has no tokenizer.json, which GenAI's tokenizer reads")]
    [InlineData("simulated", "tokenizer.json", null, "' has no tokenizer.json, which GenAI's tokenizer reads")]
    [InlineData("cpu", "tokenizer.json", "", "tokenizer.json' is empty, not a JSON object")]
    [InlineData("cpu", "tokenizer.json", "{\"model\":", "tokenizer.json' is not valid JSON (")]
    [InlineData("cpu", "tokenizer.json", "{}", "tokenizer.json' has no model;")]
    [InlineData("cpu", "tokenizer_config.json", null, "' has no tokenizer_config.json, which GenAI's tokenizer reads")]
    [InlineData("simulated", "tokenizer_config.json", " \n", "tokenizer_config.json' is empty, not a JSON object")]
    [InlineData("cpu", "tokenizer_config.json", "[]", "tokenizer_config.json' holds an array, not a JSON object")]
    [InlineData("cpu", "tokenizer_config.json", """{"tokenizer_class":"GPT2Tokenizer","tiktoken_file":"vocab.tiktoken"}""", "' has no vocab.tiktoken, the vocabulary its tokenizer_config.json names")]
    public async Task AddInferenceEngine_BrokenTokenizerFile_FailsNamingTheSettingTheFileAndWhatIsWrong(string provider, string file, string? content, string why)
    {
        // GenAI's tokenizer threw at load (Invalid file, a JSON parse error, "Failed to get model node"): the worker
        // crashed with 134 and a stack trace.
        using var folder = new TestModelCopy("inference-broken-tokenizer-");
        folder.Write(file, content);
        await using var services = Build(new() { ["Inference:ModelPath"] = folder.Path, ["Inference:ExecutionProvider"] = provider });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Hosting.InferenceOptions>>().Value);

        Assert.StartsWith($"Inference:ModelPath: '{folder.Path}", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddInferenceEngine_SimulatedModelFolderWithoutWeights_IsValid()
    {
        // The simulation reads a folder's config and tokenizer, never its weights.
        using var folder = new TestModelCopy("inference-simulated-model-", Tokenizer);
        folder.Write("genai_config.json", """{"model":{"context_length":2048,"vocab_size":512,"decoder":{"filename":"model.onnx"}}}""");
        await using var services = Build(new() { ["Inference:ModelPath"] = folder.Path, ["Inference:ExecutionProvider"] = "simulated" });

        Assert.Equal("simulated", services.GetRequiredService<IOptions<Hosting.InferenceOptions>>().Value.ExecutionProvider);
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
