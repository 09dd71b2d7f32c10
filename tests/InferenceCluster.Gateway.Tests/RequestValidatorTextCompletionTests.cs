using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class RequestValidatorTextCompletionTests
{
    private static ValidatedRequest Validate(string json) =>
        RequestValidator.TextCompletion(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Validate_PromptArrayAndLegacyLogprobs_CarriedThrough()
    {
        var request = Validate("""{"model":"m","prompt":["a","b"],"n":2,"logprobs":3,"max_tokens":5,"seed":9,"stop":"x"}""");

        Assert.Equal(["a", "b"], request.Prompts);
        Assert.Equal(2, request.N);
        Assert.True(request.Logprobs);
        Assert.Equal(3, request.TopLogprobs);
        Assert.Equal(5, request.Sampling.MaxTokens);
        Assert.Equal(9, request.Sampling.Seed);
        Assert.Equal(["x"], request.Stop);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":""}""", new[] { "" })]
    [InlineData("""{"model":"m","prompt":["a",""]}""", new[] { "a", "" })]
    public void Validate_EmptyPrompt_TakenAsOpenAITakesIt(string json, string[] prompts)
    {
        Assert.Equal(prompts, Validate(json).Prompts);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "prompt", "missing_required_parameter")]
    [InlineData("""{"model":"m","prompt":[]}""", "prompt", "invalid_value")]
    [InlineData("""{"model":"m","prompt":[[1,2]]}""", "prompt[0]", "unsupported_parameter")]
    [InlineData("""{"model":"m","prompt":5}""", "prompt", "invalid_type")]
    [InlineData("""{"model":"m","prompt":"a\u0000b"}""", "prompt", "invalid_value")]
    [InlineData("""{"model":"m","prompt":["a","b\u0000"]}""", "prompt[1]", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","echo":true}""", "echo", "unsupported_parameter")]
    [InlineData("""{"model":"m","prompt":"a","suffix":"z"}""", "suffix", "unsupported_parameter")]
    [InlineData("""{"model":"m","prompt":"a","best_of":2}""", "best_of", "unsupported_parameter")]
    [InlineData("""{"model":"m","prompt":"a","best_of":0}""", "best_of", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","best_of":-1}""", "best_of", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","best_of":1,"n":2}""", "best_of", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","best_of":21}""", "best_of", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","logprobs":21}""", "logprobs", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","n":0}""", "n", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","temperature":3}""", "temperature", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","presence_penalty":0.5}""", "presence_penalty", "unsupported_parameter")]
    [InlineData("""{"model":"m","prompt":"a","min_p":0.05}""", "min_p", "unknown_parameter")]
    [InlineData("""{"model":"m","prompt":"a","stream_options":{"include_usage":true}}""", "stream_options", "invalid_value")]
    [InlineData("""{"model":"m","prompt":"a","max_tokens":"many"}""", "max_tokens", "invalid_type")]
    public void Validate_BadInput_400NamingTheParameter(string json, string param, string code)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(json));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m","prompt":"a","logprobs":true}""", "logprobs", "an integer between 0 and 20")]
    [InlineData("""{"model":"m","prompt":"a","max_tokens":"many"}""", "max_tokens", "an integer")]
    [InlineData("""{"model":"m","prompt":"a","echo":1}""", "echo", "a boolean")]
    public void Read_WrongType_MessageNamesTheExpectedType(string json, string param, string expected)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(json));

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
        Assert.Contains($"expected {expected}", error.Message, StringComparison.Ordinal);
    }
}
