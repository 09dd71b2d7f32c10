using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// Values of OpenAI parameters that ask for what every answer here already is: <c>modalities: ["text"]</c>, an empty
/// <c>logit_bias</c>, <c>stream_options.include_obfuscation: false</c>. They are honoured as they stand; any other value of
/// the same parameters (audio, a bias, padded events) and every <c>verbosity</c> level are 400s naming the parameter.
/// </summary>
public sealed class RequestValidatorNeutralValuesTests
{
    private const string Messages = """
        "model":"m","messages":[{"role":"user","content":"Hi"}]
        """;

    private static ValidatedRequest Chat(string members) =>
        RequestValidator.Chat(JsonDocument.Parse("{" + Messages.Trim() + "," + members + "}").RootElement);

    private static ValidatedRequest Text(string members) =>
        RequestValidator.TextCompletion(JsonDocument.Parse("""{"model":"m","prompt":"Hi",""" + members + "}").RootElement);

    private static ValidatedResponsesRequest Responses(string members) =>
        ResponsesRequestValidator.Validate(JsonDocument.Parse("""{"model":"m","input":"Hi",""" + members + "}").RootElement);

    [Theory]
    [InlineData("""
        "modalities":["text"]
        """)]
    [InlineData("""
        "logit_bias":{}
        """)]
    [InlineData("""
        "modalities":null,"logit_bias":null,"verbosity":null
        """)]
    [InlineData("""
        "stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false}
        """)]
    public void Chat_ValueAskingForWhatEveryAnswerIs_Accepted(string members)
    {
        var request = Chat(members.Trim());

        Assert.Equal("Hi", Assert.Single(request.Messages!).Content);
    }

    [Fact]
    public void TextCompletion_EmptyLogitBias_Accepted()
    {
        var request = Text("""
            "logit_bias":{}
            """.Trim());

        Assert.Equal(["Hi"], request.Prompts);
    }

    [Fact]
    public void Responses_IncludeObfuscationFalse_AcceptedAndStreams()
    {
        var request = Responses("""
            "stream":true,"stream_options":{"include_obfuscation":false}
            """.Trim());

        Assert.True(request.Request.Stream);
    }

    [Theory]
    [InlineData("""
        "modalities":["text","audio"]
        """, "modalities", "unsupported_parameter")]
    [InlineData("""
        "modalities":["audio"]
        """, "modalities", "unsupported_parameter")]
    [InlineData("""
        "modalities":[]
        """, "modalities", "invalid_value")]
    [InlineData("""
        "modalities":["txt"]
        """, "modalities[0]", "invalid_value")]
    [InlineData("""
        "modalities":["audio",""]
        """, "modalities[1]", "invalid_value")]
    [InlineData("""
        "modalities":"text"
        """, "modalities", "invalid_type")]
    [InlineData("""
        "modalities":["text",1]
        """, "modalities[1]", "invalid_type")]
    [InlineData("""
        "logit_bias":{"50256":-100}
        """, "logit_bias", "unsupported_parameter")]
    [InlineData("""
        "logit_bias":[]
        """, "logit_bias", "invalid_type")]
    [InlineData("""
        "logit_bias":{"1":"x"}
        """, "logit_bias.1", "invalid_type")]
    [InlineData("""
        "logit_bias":{"1":null}
        """, "logit_bias.1", "invalid_type")]
    [InlineData("""
        "logit_bias":{"1":101}
        """, "logit_bias.1", "invalid_value")]
    [InlineData("""
        "logit_bias":{"1":1e400}
        """, "logit_bias.1", "invalid_value")]
    [InlineData("""
        "logit_bias":{"token":1}
        """, "logit_bias", "invalid_value")]
    [InlineData("""
        "logit_bias":{"-1":1}
        """, "logit_bias", "invalid_value")]
    [InlineData("""
        "verbosity":"medium"
        """, "verbosity", "unsupported_parameter")]
    [InlineData("""
        "verbosity":"low"
        """, "verbosity", "unsupported_parameter")]
    [InlineData("""
        "verbosity":1
        """, "verbosity", "invalid_type")]
    [InlineData("""
        "verbosity":"loud"
        """, "verbosity", "invalid_value")]
    [InlineData("""
        "stream":true,"stream_options":{"include_obfuscation":true}
        """, "stream_options.include_obfuscation", "unsupported_parameter")]
    [InlineData("""
        "stream_options":{"include_obfuscation":false}
        """, "stream_options", "invalid_value")]
    [InlineData("""
        "reasoning_effort":"medium"
        """, "reasoning_effort", "unsupported_parameter")]
    [InlineData("""
        "reasoning_effort":1
        """, "reasoning_effort", "invalid_type")]
    [InlineData("""
        "reasoning_effort":"none"
        """, "reasoning_effort", "unsupported_parameter")]
    [InlineData("""
        "reasoning_effort":"bogus"
        """, "reasoning_effort", "invalid_value")]
    public void Chat_OtherValue_400NamingIt(string members, string param, string code)
    {
        var error = Assert.Throws<OpenAIException>(() => Chat(members.Trim()));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("""
        "logit_bias":{"1":5}
        """, "logit_bias", "unsupported_parameter")]
    [InlineData("""
        "logit_bias":{"1":"x"}
        """, "logit_bias.1", "invalid_type")]
    [InlineData("""
        "modalities":["text"]
        """, "modalities", "unknown_parameter")]
    public void TextCompletion_OtherValue_400NamingIt(string members, string param, string code)
    {
        var error = Assert.Throws<OpenAIException>(() => Text(members.Trim()));

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("""
        "stream":true,"stream_options":{"include_obfuscation":true}
        """, "stream_options.include_obfuscation", "unsupported_parameter")]
    [InlineData("""
        "stream":true,"stream_options":{"include_usage":true}
        """, "stream_options.include_usage", "unknown_parameter")]
    [InlineData("""
        "stream_options":{"include_obfuscation":false}
        """, "stream_options", "invalid_value")]
    [InlineData("""
        "text":{"verbosity":"medium"}
        """, "text.verbosity", "unsupported_parameter")]
    [InlineData("""
        "logit_bias":{}
        """, "logit_bias", "unknown_parameter")]
    public void Responses_OtherValue_400NamingIt(string members, string param, string code)
    {
        var error = Assert.Throws<OpenAIException>(() => Responses(members.Trim()));

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }
}
