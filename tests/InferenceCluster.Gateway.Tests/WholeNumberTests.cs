using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Every integer parameter takes a whole JSON number however it is written (1.0, 1e3), as OpenAI's API does; a fraction stays a 400.</summary>
public sealed class WholeNumberTests
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    [Fact]
    public void Chat_IntegerParametersAsWholeNumbers_Accepted()
    {
        var request = RequestValidator.Chat(Parse($$"""
            {"model":"m",{{Messages}},"n":2.0,"max_completion_tokens":6.4e1,"min_tokens":2.00,"top_k":40.0,"seed":1e3,
             "logprobs":true,"top_logprobs":5.0}
            """));

        Assert.Equal(2, request.N);
        Assert.Equal(64, request.Sampling.MaxTokens);
        Assert.Equal(2, request.Sampling.MinTokens);
        Assert.Equal(40, request.Sampling.TopK);
        Assert.Equal(1000, request.Sampling.Seed);
        Assert.Equal(5, request.TopLogprobs);
    }

    [Fact]
    public void Chat_LargeSeedWithZeroFraction_ReadExactly()
    {
        var request = RequestValidator.Chat(Parse($$"""{"model":"m",{{Messages}},"seed":9223372036854775807.0,"max_tokens":1.0}"""));

        Assert.Equal(long.MaxValue, request.Sampling.Seed);
        Assert.Equal(1, request.Sampling.MaxTokens);
    }

    [Fact]
    public void TextCompletionAndResponses_IntegerParametersAsWholeNumbers_Accepted()
    {
        var completion = RequestValidator.TextCompletion(Parse("""{"model":"m","prompt":"x","logprobs":2.0,"best_of":1.0,"max_tokens":3.0}"""));
        var response = ResponsesRequestValidator.Validate(Parse("""{"model":"m","input":"x","max_output_tokens":7.0}"""));

        Assert.Equal(2, completion.TopLogprobs);
        Assert.Equal(3, completion.Sampling.MaxTokens);
        Assert.Equal(7, response.Request.Sampling.MaxTokens);
    }

    [Theory]
    [InlineData("1.0", 1)]
    [InlineData("1e3", 1000)]
    [InlineData("1E+3", 1000)]
    [InlineData("-0", 0)]
    [InlineData("-0.0e-5", 0)]
    [InlineData("0e100000000000", 0)]
    [InlineData("1.5e1", 15)]
    [InlineData("150e-1", 15)]
    [InlineData("0.0015e4", 15)]
    [InlineData("-9223372036854775808.0", long.MinValue)]
    [InlineData("-9.223372036854775808e18", long.MinValue)]
    [InlineData("9223372036854775807.000", long.MaxValue)]
    public void Chat_SeedWrittenAnyWholeWay_ReadExactly(string value, long seed)
    {
        var request = RequestValidator.Chat(Parse($$"""{"model":"m",{{Messages}},"seed":{{value}}}"""));

        Assert.Equal(seed, request.Sampling.Seed);
    }

    [Theory]
    [InlineData("n", "1.5")]
    [InlineData("max_tokens", "0.1")]
    [InlineData("seed", "1.000001")]
    [InlineData("top_k", "\"40\"")]
    [InlineData("n", "3e9")]
    [InlineData("seed", "9223372036854775808.0")]
    [InlineData("seed", "1e400")]
    [InlineData("seed", "1e-30")]
    [InlineData("seed", "5.00000000000000000000000000001")]
    [InlineData("n", "1.00000000000000000000000000001")]
    [InlineData("seed", "9223372036854775806.99999999999999")]
    [InlineData("seed", "-9223372036854775809.0")]
    [InlineData("seed", "1.5e0")]
    [InlineData("seed", "15e-1")]
    [InlineData("seed", "1e-100000000000")]
    [InlineData("seed", "1e100000000000")]
    public void Chat_NotAWholeNumberInRange_InvalidTypeNamingIt(string param, string value)
    {
        var error = Assert.Throws<OpenAIException>(() => RequestValidator.Chat(Parse($$"""{"model":"m",{{Messages}},"{{param}}":{{value}}}""")));

        Assert.Equal((400, param, "invalid_type"), (error.StatusCode, error.Param, error.Code));
        Assert.StartsWith("Invalid type for '" + param + "': expected an integer from ", error.Message, StringComparison.Ordinal);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
