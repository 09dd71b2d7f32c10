using System.Text.Json.Nodes;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Text;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Tests.Engine;

/// <summary>An empty text prompt on a model with no chat template is the client's to fix, named as its prompt.</summary>
public sealed class RequestPlannerTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("request-planner-");

    [Fact]
    public void Plan_EmptyPromptOnAModelWithoutChatTemplate_RejectedNamingPrompt()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TokenizerWithoutChatTemplate()));
        var planner = new RequestPlanner(encoder, contextLength: 2048, vocabSize: 32000, dynamicBatching: true, classicAvailable: false);

        var error = Assert.Throws<GenerationRejectedException>(() => planner.Plan(null, "",
            new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 4 }));

        Assert.Equal(FailureCodes.InvalidConfig, error.Code);
        Assert.Equal("prompt", error.Param);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>The test model's tokenizer with its chat template taken out.</summary>
    private string TokenizerWithoutChatTemplate()
    {
        foreach (var file in Directory.GetFiles(TestModel.StandardPath).Where(f => !f.EndsWith(".onnx", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(_folder.FullName, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(_folder.FullName, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config.Remove("chat_template");
        File.WriteAllText(configPath, config.ToJsonString());
        return _folder.FullName;
    }
}
