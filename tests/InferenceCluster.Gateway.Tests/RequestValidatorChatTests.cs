using InferenceCluster.Contracts;
using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class RequestValidatorChatTests
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    private static ValidatedRequest Validate(string json) =>
        RequestValidator.Chat(JsonDocument.Parse(json).RootElement);

    private static OpenAIException Reject(string json) => Assert.Throws<OpenAIException>(() => Validate(json));

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":5,"messages":[{"role":"user","content":"Hi"}]}""", "model", "invalid_type")]
    [InlineData("""{"model":"m"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[]}""", "messages", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"x"}]}""", "messages[0].role", "unsupported_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"function","content":"x"}]}""", "messages[0].role", "unsupported_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"robot","content":"x"}]}""", "messages[0].role", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"content":"x"}]}""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":5}]}""", "messages[0].content", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"txt","text":"b"}]}]}""", "messages[0].content[1].type", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text"}]}]}""", "messages[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":null}]}]}""", "messages[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[]}]}""", "messages[0].content", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x","name":"bob"}]}""", "messages[0].name", "unknown_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"},{"role":"system","content":"y","tool_calls":[]}]}""", "messages[1].tool_calls", "unknown_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"temperature":2.5}""", "temperature", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"temperature":-0.1}""", "temperature", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"temperature":"hot"}""", "temperature", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"top_p":0}""", "top_p", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"top_p":1.5}""", "top_p", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"top_k":-1}""", "top_k", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"max_tokens":0}""", "max_tokens", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"max_tokens":1.5}""", "max_tokens", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"max_completion_tokens":-1}""", "max_completion_tokens", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"max_tokens":10,"max_completion_tokens":20}""", "max_completion_tokens", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"min_tokens":-1}""", "min_tokens", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"min_tokens":10,"max_tokens":5}""", "min_tokens", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"repetition_penalty":0}""", "repetition_penalty", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"seed":"abc"}""", "seed", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"stop":["a","b","c","d","e"]}""", "stop", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"stop":["a",1]}""", "stop[1]", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"stop":3}""", "stop", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"stop":""}""", "stop", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"top_logprobs":3}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"logprobs":true,"top_logprobs":21}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"n":0}""", "n", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"presence_penalty":0.5}""", "presence_penalty", "unsupported_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"frequency_penalty":1}""", "frequency_penalty", "unsupported_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"presence_penalty":2.5}""", "presence_penalty", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"frequency_penalty":-1e308}""", "frequency_penalty", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"xml"}}""", "response_format.type", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema"}}""", "response_format.json_schema", "missing_required_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":"s"}}}""", "response_format.json_schema.schema", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":"x","strict":"yes","schema":{}}}}""", "response_format.json_schema.strict", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":"x","description":5,"schema":{}}}}""", "response_format.json_schema.description", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":5,"schema":{}}}}""", "response_format.json_schema.name", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":"my answer!","schema":{}}}}""", "response_format.json_schema.name", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"x-guidance":null}}}}""", "response_format.json_schema.schema.x-guidance", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","x-guidance":"lenient"}}}}""", "response_format.json_schema.schema.x-guidance", "invalid_type")]
    [InlineData("""{"model":"m",MESSAGES,"tools":[{"type":"function"}]}""", "tools", "unsupported_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"logit_bias":{"1":2}}""", "logit_bias", "unsupported_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"Temperature":0.5}""", "Temperature", "unknown_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"stream_options":{"include_usage":true}}""", "stream_options", "invalid_value")]
    [InlineData("""{"model":"m",MESSAGES,"stream":true,"stream_options":{"include_obfuscation":true}}""", "stream_options.include_obfuscation", "unsupported_parameter")]
    [InlineData("""{"model":"m",MESSAGES,"stream":"yes"}""", "stream", "invalid_type")]
    public void Chat_BadInput_Returns400NamingTheParam(string json, string param, string code)
    {
        var error = Reject(json.Replace("MESSAGES", Messages, StringComparison.Ordinal));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.Contains(param.Split('[', '.')[0], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public void Chat_BodyNotAnObject_ReturnsInvalidJson(string json)
    {
        var error = Reject(json);

        Assert.Equal(400, error.StatusCode);
        Assert.Null(error.Param);
        Assert.Equal("invalid_json", error.Code);
    }

    [Theory]
    [InlineData("temperature", "7.006492321624085e-46")]
    [InlineData("temperature", "7.006492321624087e-46")]
    [InlineData("temperature", "9.99e-46")]
    [InlineData("top_p", "7.1e-46")]
    [InlineData("top_p", "9.99e-46")]
    public void Chat_PositiveValueBelowTheSmallestTheMessageStates_Refused(string param, string value)
    {
        // The message asks for at least 1E-45; a value below it is refused, even one single precision would not make 0.
        var error = Reject($$"""{"model":"m",{{Messages}},"{{param}}":{{value}}}""");

        Assert.Equal(param, error.Param);
        Assert.Contains("at least 1E-45", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("temperature")]
    [InlineData("top_p")]
    public void Chat_PositiveValueAtTheSmallestTheMessageStates_Accepted(string param)
    {
        Assert.NotNull(Validate($$"""{"model":"m",{{Messages}},"{{param}}":1e-45}"""));
    }

    [Theory]
    [InlineData("max_tokens", "2147483648", "an integer from -2147483648 to 2147483647")]
    [InlineData("n", "-2147483649", "an integer from -2147483648 to 2147483647")]
    [InlineData("seed", "9223372036854775808", "an integer from -9223372036854775808 to 9223372036854775807")]
    public void Chat_IntegerBeyondItsType_MessageSaysWhichIntegersItTakes(string param, string value, string expected)
    {
        // "expected an integer" alone told a client that sent an integer nothing it could act on.
        var error = Reject($$"""{"model":"m",{{Messages}},"{{param}}":{{value}}}""");

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
        Assert.Equal($"Invalid type for '{param}': expected {expected}.", error.Message);
    }

    [Theory]
    [InlineData(1e-40)]
    [InlineData(1.2e-38)]
    [InlineData(9.9e-31)]
    public void Chat_RepetitionPenaltyThatCanMakeAScoreInfinite_RejectedSayingTheSmallestPenalty(double penalty)
    {
        // At 1.2e-38 a repeated token's score above about 4 already overflows single precision.
        Assert.Equal(float.PositiveInfinity, 5f / (float)1.2e-38);
        var error = Reject($$"""{"model":"m",{{Messages}},"repetition_penalty":{{penalty.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}""");

        Assert.Equal("repetition_penalty", error.Param);
        Assert.StartsWith("'repetition_penalty' must be at least 1E-30 (the engine divides scores by it in single precision", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_RepetitionPenaltyAtTheSmallest_AcceptedAndKeepsAnyHalfPrecisionScoreFinite()
    {
        var penalty = Validate($$"""{"model":"m",{{Messages}},"repetition_penalty":1e-30}""").Sampling.RepetitionPenalty!.Value;

        Assert.Equal(1e-30, penalty);
        Assert.True(float.IsFinite(65504f / (float)penalty));
    }

    [Fact]
    public void Chat_ContentParts_JoinsTextParts()
    {
        var request = Validate("""{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hello, "},{"type":"text","text":"world"}]}]}""");

        Assert.Equal("m", request.Model);
        Assert.Equal(2, request.Messages!.Count);
        Assert.Equal(new("system", "Be brief."), request.Messages![0]);
        Assert.Equal(new("user", "Hello, world"), request.Messages![1]);
    }

    [Fact]
    public void Chat_ReturnedAssistantMessageWithReasoning_AcceptedAndReasoningNotPassedOn()
    {
        var request = Validate("""
            {"model":"m","messages":[{"role":"user","content":"2+2?"},
             {"role":"assistant","content":"4","reasoning_content":"Two and two make four."},{"role":"user","content":"And 3+3?"}]}
            """);

        Assert.Equal([new("user", "2+2?"), new("assistant", "4"), new("user", "And 3+3?")], request.Messages);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x","reasoning_content":"y"}]}""", "messages[0].reasoning_content", "unknown_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":"x","reasoning_content":5}]}""", "messages[0].reasoning_content", "invalid_type")]
    public void Chat_ReasoningContentOutsideAnAnswer_400NamingIt(string json, string param, string code)
    {
        var error = Reject(json);

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Theory]
    [InlineData("""{"model":"m",MESSAGES,"temperature":"hot"}""", "temperature", "a number")]
    [InlineData("""{"model":"m",MESSAGES,"logprobs":3}""", "logprobs", "a boolean")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"},"y"]}""", "messages[1]", "an object")]
    [InlineData("""{"model":"m","messages":[{"role":5,"content":"x"}]}""", "messages[0].role", "a string")]
    public void Read_WrongType_MessageNamesTheExpectedType(string json, string param, string expected)
    {
        var error = Reject(json.Replace("MESSAGES", Messages, StringComparison.Ordinal));

        Assert.Equal(param, error.Param);
        Assert.Equal("invalid_type", error.Code);
        Assert.Contains($"expected {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_DeveloperRole_TakenAsSystem()
    {
        var request = Validate("""{"model":"m","messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":"Hi"}]}""");

        Assert.Equal(new("system", "Be brief."), request.Messages![0]);
    }

    [Fact]
    public void Chat_AllSupportedParameters_CarriesThemThrough()
    {
        var request = Validate($$"""
            {"model":"m",{{Messages}},"temperature":0.7,"top_p":0.9,"top_k":40,"max_completion_tokens":64,"min_tokens":2,
             "repetition_penalty":1.1,"seed":42,"stop":["\n\n","END"],"logprobs":true,"top_logprobs":5,"stream":true,
             "stream_options":{"include_usage":true},"user":"u-1","n":1,"presence_penalty":0,"frequency_penalty":0,
             "response_format":{"type":"text"},"tools":null}
            """);

        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal("u-1", request.User);
        var sampling = request.Sampling;
        Assert.Equal(0.7, sampling.Temperature);
        Assert.Equal(0.9, sampling.TopP);
        Assert.Equal(40, sampling.TopK);
        Assert.Equal(64, sampling.MaxTokens);
        Assert.Equal(2, sampling.MinTokens);
        Assert.Equal(1.1, sampling.RepetitionPenalty);
        Assert.Equal(42, sampling.Seed);
        Assert.Equal(["\n\n", "END"], request.Stop);
        Assert.True(request.Logprobs);
        Assert.Equal(5, request.TopLogprobs);
    }

    [Fact]
    public void Chat_NAndJsonSchemaFormat_CarriedAsChoicesAndGuidance()
    {
        var request = Validate($$$$$$$"""
            {"model":"m",{{{{{{{Messages}}}}}}},"n":3,
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"a":{"type":"integer"}}}}}}
            """);

        Assert.Equal(3, request.N);
        Assert.Equal("json_schema", request.Guidance!.Type);
        Assert.Equal("""{"x-guidance":{"whitespace_flexible":false},"type":"object","properties":{"a":{"type":"integer"}}}""", request.Guidance.Data);
    }

    [Theory]
    [InlineData("""{"x-guidance":{"lenient":true},"type":"object"}""", """{"x-guidance":{"whitespace_flexible":false,"lenient":true},"type":"object"}""")]
    [InlineData("""{"x-guidance":{}}""", """{"x-guidance":{"whitespace_flexible":false}}""")]
    [InlineData("""{"x-guidance":{"whitespace_flexible":true}}""", """{"x-guidance":{"whitespace_flexible":true}}""")]
    [InlineData("""{"x-guidance":{"whitespace_pattern":"[ ]?"}}""", """{"x-guidance":{"whitespace_pattern":"[ ]?"}}""")]
    public void Chat_JsonSchemaWithGuidanceOptions_CompactAddedUnlessTheyChooseTheWhitespace(string schema, string expected)
    {
        var request = Validate($$$"""{"model":"m",{{{Messages}}},"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":""" + schema + "}}}");

        Assert.Equal(new GenerationGuidance("json_schema", expected), request.Guidance);
    }

    [Fact]
    public void Chat_JsonObjectFormat_GuidesToAnyObject()
    {
        var request = Validate($$$"""{"model":"m",{{{Messages}}},"response_format":{"type":"json_object"}}""");

        Assert.Equal(new GenerationGuidance("json_schema", """{"x-guidance":{"whitespace_flexible":false},"type":"object"}"""), request.Guidance);
    }

    [Fact]
    public void Chat_OnlyRequiredParameters_LeavesSamplingUnset()
    {
        var request = Validate($$"""{"model":"m",{{Messages}},"stop":"###"}""");

        Assert.False(request.Stream);
        Assert.False(request.IncludeUsage);
        Assert.Null(request.Sampling.Temperature);
        Assert.Null(request.Sampling.TopP);
        Assert.Null(request.Sampling.MaxTokens);
        Assert.Null(request.Sampling.Seed);
        Assert.Equal(["###"], request.Stop);
        Assert.False(request.Logprobs);
    }

    [Fact]
    public void Chat_MaxTokensAlias_EqualValuesAccepted()
    {
        var request = Validate($$"""{"model":"m",{{Messages}},"max_tokens":30,"max_completion_tokens":30}""");

        Assert.Equal(30, request.Sampling.MaxTokens);
    }
}
