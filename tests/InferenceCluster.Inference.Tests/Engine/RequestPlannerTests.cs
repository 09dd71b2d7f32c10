using System.Text.Json.Nodes;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Text;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Tests.Engine;

/// <summary>An empty text prompt, chat messages on a model with no chat template, and messages its template refuses are the client's to fix, named as the parameter that carried them.</summary>
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

    [Fact]
    public void Plan_ChatOnAModelWithoutChatTemplate_RejectedNamingMessages()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TokenizerWithoutChatTemplate()));
        var planner = new RequestPlanner(encoder, contextLength: 2048, vocabSize: 32000, dynamicBatching: true, classicAvailable: false);

        var error = Assert.Throws<GenerationRejectedException>(() => planner.Plan([new ChatMessage("user", "What is 2 + 2?")], null,
            new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 4 }));

        Assert.Equal(FailureCodes.InvalidConfig, error.Code);
        Assert.Equal("messages", error.Param);
        Assert.Contains("/v1/completions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ChatOnAModelWithChatTemplate_Encoded()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TestModel.StandardPath));
        var planner = new RequestPlanner(encoder, contextLength: 2048, vocabSize: 32000, dynamicBatching: true, classicAvailable: false);

        var (tokens, _, _, param) = planner.Plan([new ChatMessage("user", "What is 2 + 2?")], null,
            new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 4 });

        Assert.NotEmpty(tokens);
        Assert.Equal("messages", param);
    }

    [Fact]
    public void Plan_ChatTheTemplateRefuses_RejectedNamingMessagesWithTheTemplatesWords()
    {
        // As Llama 2's and Mistral's templates do: roles out of turn are the client's to fix, not an engine failure (502).
        const string RefusesRolesOutOfTurn =
            "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
            + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
            + "{{ message['content'] }}{% endfor %}";
        using var encoder = new PromptEncoder(new Tokenizer(TokenizerWith(RefusesRolesOutOfTurn)));
        var planner = new RequestPlanner(encoder, contextLength: 2048, vocabSize: 32000, dynamicBatching: true, classicAvailable: false);

        var error = Assert.Throws<GenerationRejectedException>(() => planner.Plan([new ChatMessage("user", "Hi"), new ChatMessage("user", "Again")], null,
            new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 4 }));

        Assert.Equal(FailureCodes.InvalidConfig, error.Code);
        Assert.Equal("messages", error.Param);
        Assert.Contains("Conversation roles must alternate", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>The test model's tokenizer with its chat template taken out.</summary>
    private string TokenizerWithoutChatTemplate() => TokenizerWith(chatTemplate: null);

    /// <summary>The test model's tokenizer with another chat template, or none.</summary>
    private string TokenizerWith(string? chatTemplate)
    {
        foreach (var file in Directory.GetFiles(TestModel.StandardPath).Where(f => !f.EndsWith(".onnx", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(_folder.FullName, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(_folder.FullName, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config.Remove("chat_template");
        if (chatTemplate is not null)
        {
            config["chat_template"] = chatTemplate;
        }

        File.WriteAllText(configPath, config.ToJsonString());
        return _folder.FullName;
    }
}
