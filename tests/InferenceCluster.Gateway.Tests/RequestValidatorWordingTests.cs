using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// The words of the messages the rules build with <see cref="OpenAIException"/>'s shared factories (a value outside a
/// member's values, a number out of its range, the first item of the wrong kind): one wording whichever rule refuses.
/// </summary>
public sealed class RequestValidatorWordingTests
{
    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"any"}""",
        "Invalid value for 'tool_choice': 'any'; supported values are 'none', 'auto' and 'required', or an object naming a tool.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"modalities":["text","video"]}""",
        "Invalid value for 'modalities[1]': 'video'; supported values are 'text' and 'audio'.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{},"t"]}""",
        "Invalid type for 'tools[1]': expected an object.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"logit_bias":{"7":-101}}""",
        "'logit_bias.7' must be between -100 and 100; got -101.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"logit_bias":{"7":1e400}}""",
        "'logit_bias.7' must be between -100 and 100; got 1e400.")]
    [InlineData("""{"model":"m","messages":[{"role":"robot","content":"x"}]}""",
        "Invalid value for 'messages[0].role': 'robot'; supported values are 'system', 'developer', 'user' and 'assistant'.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"presence_penalty":2.5}""",
        "'presence_penalty' must be between -2 and 2; got 2.5.")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}],"temperature":2.5}""",
        "'temperature' must be between 0 and 2; got 2.5.")]
    public void Chat_RefusedValue_SharedWording(string json, string message)
    {
        var error = Assert.Throws<OpenAIException>(() => RequestValidator.Chat(JsonDocument.Parse(json).RootElement));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"x","best_of":21}""", "'best_of' must be between 1 and 20; got 21.")]
    [InlineData("""{"model":"m","prompt":"x","frequency_penalty":-3}""", "'frequency_penalty' must be between -2 and 2; got -3.")]
    public void TextCompletion_RefusedValue_SharedWording(string json, string message)
    {
        var error = Assert.Throws<OpenAIException>(() => RequestValidator.TextCompletion(JsonDocument.Parse(json).RootElement));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"model":"m","input":"x","truncation":"always"}""", "Invalid value for 'truncation': 'always'; supported values are 'auto' and 'disabled'.")]
    [InlineData("""{"model":"m","input":"x","include":["reasoning.encrypted_content",1]}""", "Invalid type for 'include[1]': expected a string.")]
    [InlineData("""{"model":"m","input":[{"role":"robot","content":"x"}]}""",
        "Invalid value for 'input[0].role': 'robot'; supported values are 'system', 'developer', 'user' and 'assistant'.")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"x","status":"done"}]}""",
        "Invalid value for 'input[0].status': 'done'; supported values are 'in_progress', 'completed' and 'incomplete'.")]
    [InlineData("""{"model":"m","input":"x","tool_choice":""}""",
        "Invalid value for 'tool_choice': ''; supported values are 'none', 'auto' and 'required', or an object naming a tool.")]
    public void Responses_RefusedValue_SharedWording(string json, string message)
    {
        var error = Assert.Throws<OpenAIException>(() => ResponsesRequestValidator.Validate(JsonDocument.Parse(json).RootElement));

        Assert.Equal(message, error.Message);
    }
}
