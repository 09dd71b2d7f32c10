using System.Text.Json.Nodes;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Text;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Tests.Text;

/// <summary>Several system messages reach a template that keeps one of them, or refuses two, as one message it renders.</summary>
public sealed class PromptEncoderTests : IDisposable
{
    // As many templates do (Mistral's, Gemma's): a system message anywhere but first is an error.
    private const string RefusesASecondSystemMessage =
        "{% for message in messages %}{% if message['role'] == 'system' and not loop.first %}"
        + "{{ raise_exception('System message must be first') }}{% endif %}"
        + "{{ '[' + message['role'] + '] ' + message['content'] + '\n' }}{% endfor %}";

    // As Llama 2's and Mistral's do: reads the first message before anything else, and refuses roles out of turn.
    private const string ReadsTheFirstMessageAndRefusesRolesOutOfTurn =
        "{% if messages[0]['role'] == 'system' %}{{ '<<SYS>>' }}{% endif %}{% for message in messages %}"
        + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        + "{{ '[' + message['role'] + '] ' + message['content'] + '\n' }}{% endfor %}";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("prompt-encoder-");

    [Fact]
    public void RenderChat_TemplateRefusesASecondSystemMessage_SystemMessagesJoinedIntoOne()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TokenizerWith(RefusesASecondSystemMessage)));

        var rendered = encoder.RenderChat([new ChatMessage("system", "Be brief."), new ChatMessage("system", "Answer in French."), new ChatMessage("user", "Hi")]);

        Assert.Equal("[system] Be brief.\n\nAnswer in French.\n[user] Hi\n", rendered);
    }

    [Fact]
    public void RenderChat_TemplateKeepsOnlyTheLastSystemMessage_NoneDropped()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TestModel.StandardPath));

        var rendered = encoder.RenderChat([new ChatMessage("system", "Be brief."), new ChatMessage("system", "Answer in French."), new ChatMessage("user", "Hi")]);

        Assert.Contains("Be brief.\n\nAnswer in French.", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeChat_TemplateThatCannotRenderNothingRefusesTheMessages_TheTemplatesOwnError()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TokenizerWith(ReadsTheFirstMessageAndRefusesRolesOutOfTurn)));

        var error = Assert.Throws<OnnxRuntimeGenAIException>(() => encoder.EncodeChat([new ChatMessage("user", "Hi"), new ChatMessage("user", "Again")]));

        Assert.Contains("Conversation roles must alternate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeChat_TemplateThatCannotRenderNothing_RendersMessagesInTurn()
    {
        using var encoder = new PromptEncoder(new Tokenizer(TokenizerWith(ReadsTheFirstMessageAndRefusesRolesOutOfTurn)));

        Assert.NotEmpty(encoder.EncodeChat([new ChatMessage("user", "Hi")]) ?? []);
    }

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>The test model's tokenizer with another chat template.</summary>
    private string TokenizerWith(string chatTemplate)
    {
        foreach (var file in Directory.GetFiles(TestModel.StandardPath).Where(f => !f.EndsWith(".onnx", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(_folder.FullName, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(_folder.FullName, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = chatTemplate;
        File.WriteAllText(configPath, config.ToJsonString());
        return _folder.FullName;
    }
}
