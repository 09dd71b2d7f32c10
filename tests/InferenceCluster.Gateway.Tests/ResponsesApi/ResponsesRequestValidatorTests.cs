using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;

namespace InferenceCluster.Gateway.Tests.ResponsesApi;

public sealed class ResponsesRequestValidatorTests
{
    private static ValidatedResponsesRequest Validate(string json) =>
        ResponsesRequestValidator.Validate(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Validate_InputString_OneUserMessageAfterTheInstructions()
    {
        var request = Validate("""{"model":"m","input":"Hi","instructions":"Be brief.","max_output_tokens":7,"temperature":0.3,"top_p":0.9,"seed":5,"stop":["x"]}""");

        Assert.Equal([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi")], request.Request.Messages);
        Assert.Equal("Be brief.", request.Instructions);
        Assert.Equal(7, request.Request.Sampling.MaxTokens);
        Assert.Equal(0.3, request.Request.Sampling.Temperature);
        Assert.Equal(0.9, request.Request.Sampling.TopP);
        Assert.Equal(5, request.Request.Sampling.Seed);
        Assert.Equal(["x"], request.Request.Stop);
        Assert.False(request.Request.Stream);
    }

    [Fact]
    public void Validate_MetadataValueNotAString_MessageSaysAString()
    {
        var error = Assert.Throws<OpenAIException>(() => Validate("""{"model":"m","input":"Hi","metadata":{"topic":1}}"""));

        Assert.Equal("metadata.topic", error.Param);
        Assert.Equal("Invalid type for 'metadata.topic': expected a string.", error.Message);
    }

    [Fact]
    public void Validate_EffortOutsideOpenAIsValues_MessageListsThem()
    {
        var error = Assert.Throws<OpenAIException>(() => Validate("""{"model":"m","input":"Hi","reasoning":{"effort":"bogus"}}"""));

        Assert.Equal("Invalid value for 'reasoning.effort': 'bogus'; supported values are 'none', 'minimal', 'low', 'medium', 'high' and 'xhigh'.", error.Message);
    }

    [Fact]
    public void Validate_ItemsSentBackFromAnEarlierResponse_MessagesTakenReasoningDropped()
    {
        var request = Validate("""
            {"model":"m","store":false,"stream":true,"tools":[],"tool_choice":"auto","include":[],"input":[
              {"role":"developer","content":"Be brief."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"2+2"},{"type":"input_text","text":"?"}]},
              {"type":"reasoning","id":"rs_1","summary":[],"content":[{"type":"reasoning_text","text":"Two and two."}],"status":"completed"},
              {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"4","annotations":[],"logprobs":[]}]},
              {"role":"user","content":"And 3+3?"}]}
            """);

        Assert.Equal(
            [new ChatMessage("system", "Be brief."), new ChatMessage("user", "2+2?"), new ChatMessage("assistant", "4"), new ChatMessage("user", "And 3+3?")],
            request.Request.Messages);
        Assert.True(request.Request.Stream);
    }

    [Fact]
    public void Validate_OutputOfOpenAIsResponseSentBack_SummaryCitationsAndLogprobsReadAndDropped()
    {
        // Items as OpenAI's own API returns them, which SDKs and agents send back whole.
        var request = Validate("""
            {"model":"m","input":[
              {"role":"user","content":"q"},
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"s"}],"encrypted_content":"gAAA","content":null,"status":null},
              {"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"a",
                "annotations":[{"type":"url_citation","url":"https://example.org","title":"t","start_index":0,"end_index":1}],
                "logprobs":[{"token":"a","bytes":[97],"logprob":-0.1,"top_logprobs":[{"token":"a","bytes":[97],"logprob":-0.1}]}]}]},
              {"role":"user","content":"again"}]}
            """);

        Assert.Equal(
            [new ChatMessage("user", "q"), new ChatMessage("assistant", "a"), new ChatMessage("user", "again")],
            request.Request.Messages);
    }

    [Theory]
    [InlineData(""","include":["reasoning.encrypted_content"]""", true)]
    [InlineData(""","include":[]""", false)]
    [InlineData("", false)]
    public void Validate_IncludeEncryptedReasoning_Honoured(string include, bool included)
    {
        var request = Validate($$"""{"model":"m","input":"x","store":false{{include}}}""");

        Assert.Equal(included, request.IncludeEncryptedReasoning);
    }

    [Fact]
    public void Validate_JsonSchemaFormat_GuidesAndIsEchoed()
    {
        var request = Validate("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a","strict":true,"schema":{"type":"object"}}}}""");

        Assert.Equal(new GenerationGuidance("json_schema", """{"x-guidance":{"whitespace_flexible":false},"type":"object"}"""), request.Request.Guidance);
        Assert.Equal("json_schema", request.TextFormat.Type);
        Assert.Equal("a", request.TextFormat.Name);
    }

    [Theory]
    [InlineData("""{"x-guidance":{"lenient":true},"type":"object"}""", """{"x-guidance":{"whitespace_flexible":false,"lenient":true},"type":"object"}""")]
    [InlineData("""{"x-guidance":{"whitespace_flexible":true}}""", """{"x-guidance":{"whitespace_flexible":true}}""")]
    [InlineData("""{"x-guidance":{"whitespace_pattern":"[ ]?"}}""", """{"x-guidance":{"whitespace_pattern":"[ ]?"}}""")]
    public void Validate_JsonSchemaWithGuidanceOptions_CompactAddedUnlessTheyChooseTheWhitespace(string schema, string expected)
    {
        var request = Validate("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a","schema":""" + schema + "}}}");

        Assert.Equal(new GenerationGuidance("json_schema", expected), request.Request.Guidance);
    }

    [Theory]
    [InlineData("""{"input":"x"}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":"m"}""", "input", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[]}""", "input", "invalid_value")]
    [InlineData("""{"model":"m","input":5}""", "input", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","store":true}""", "store", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","previous_response_id":"resp_1"}""", "previous_response_id", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","conversation":"conv_1"}""", "conversation", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","tools":[{"type":"web_search"}]}""", "tools", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","tool_choice":"required"}""", "tool_choice", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","background":true}""", "background", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"high"}}""", "reasoning.effort", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"summary":"auto"}}""", "reasoning.summary", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"generate_summary":"auto"}}""", "reasoning.generate_summary", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"xhigh"}}""", "reasoning.effort", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":"bogus"}}""", "reasoning.effort", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"summary":"brief"}}""", "reasoning.summary", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"generate_summary":""}}""", "reasoning.generate_summary", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"budget":100}}""", "reasoning.budget", "unknown_parameter")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"effort":5}}""", "reasoning.effort", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","reasoning":{"summary":true}}""", "reasoning.summary", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","truncation":"auto"}""", "truncation", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","top_logprobs":2}""", "top_logprobs", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","top_logprobs":21}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","top_logprobs":-1}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","truncation":"sometimes"}""", "truncation", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","conversation":5}""", "conversation", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","include":"reasoning.encrypted_content"}""", "include", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","include":["reasoning.encrypted_content",1]}""", "include[1]", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","include":["bogus"]}""", "include[0]", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","include":["message.output_text.logprobs","reasoning.encrypted"]}""", "include[1]", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","include":["message.output_text.logprobs"]}""", "include[0]", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","include":["reasoning.encrypted_content","file_search_call.results"]}""", "include[1]", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","prompt":"p"}""", "prompt", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","prompt":{"id":"pmpt_1"}}""", "prompt", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","max_tokens":5}""", "max_tokens", "unknown_parameter")]
    [InlineData("""{"model":"m","input":"x","n":2}""", "n", "unknown_parameter")]
    [InlineData("""{"model":"m","input":"x","service_tier":"flex"}""", "service_tier", "unknown_parameter")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":0}""", "max_output_tokens", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":"many"}""", "max_output_tokens", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","max_output_tokens":2,"min_tokens":3}""", "min_tokens", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","temperature":3}""", "temperature", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","presence_penalty":1}""", "presence_penalty", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","text":{"verbosity":"low"}}""", "text.verbosity", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":"x","text":{"verbosity":"loud"}}""", "text.verbosity", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"xml"}}}""", "text.format.type", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","schema":{}}}}""", "text.format.name", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a","strict":"yes","schema":{}}}}""", "text.format.strict", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a","description":5,"schema":{}}}}""", "text.format.description", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":5,"schema":{}}}}""", "text.format.name", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"my answer!","schema":{}}}}""", "text.format.name", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a","schema":{"x-guidance":null}}}}""", "text.format.schema.x-guidance", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"a","schema":{"x-guidance":"lenient"}}}}""", "text.format.schema.x-guidance", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"message","role":"user","content":"x","id":5}]}""", "input[0].id", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"message","role":"user","content":"x","status":"bogus"}]}""", "input[0].status", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","id":5,"summary":[]},{"role":"user","content":"x"}]}""", "input[0].id", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":5},{"role":"user","content":"x"}]}""", "input[0].summary", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":["s"]},{"role":"user","content":"x"}]}""", "input[0].summary[0]", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[],"content":"t"},{"role":"user","content":"x"}]}""", "input[0].content", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[{"type":"summary_text","text":5}]},{"role":"user","content":"x"}]}""", "input[0].summary[0].text", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[{"text":"s"}]},{"role":"user","content":"x"}]}""", "input[0].summary[0].type", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[],"content":[{"type":"summary_text","text":"t"}]},{"role":"user","content":"x"}]}""", "input[0].content[0].type", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text"}]},{"role":"user","content":"x"}]}""", "input[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"t","x":1}]},{"role":"user","content":"x"}]}""", "input[0].content[0].x", "unknown_parameter")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[],"encrypted_content":5},{"role":"user","content":"x"}]}""", "input[0].encrypted_content", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"role":"assistant","content":[{"type":"output_text","text":"4","annotations":5}]},{"role":"user","content":"x"}]}""", "input[0].content[0].annotations", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"role":"assistant","content":[{"type":"output_text","text":"4","logprobs":[1]}]},{"role":"user","content":"x"}]}""", "input[0].content[0].logprobs[0]", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"role":"tool","content":"x"}]}""", "input[0].role", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"content":"x"}]}""", "input[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user"}]}""", "input[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"x","name":"bob"}]}""", "input[0].name", "unknown_parameter")]
    [InlineData("""{"model":"m","input":[{"type":"function_call_output","call_id":"c","output":"x"}]}""", "input[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"x"}]}]}""", "input[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"refusal","refusal":"no"}]}]}""", "input[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"computer_screenshot","image_url":"x"}]}]}""", "input[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"summary_text","text":"s"}]}]}""", "input[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a"},{"type":"text","text":"b"}]}]}""", "input[0].content[1].type", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]}""", "input[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":null}]}]}""", "input[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"assistant","content":[{"type":"output_text","text":null}]},{"role":"user","content":"x"}]}""", "input[0].content[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"type":"reasoning","summary":[{"type":"summary_text","text":null}]},{"role":"user","content":"x"}]}""", "input[0].summary[0].text", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":[{"role":"assistant","content":[{"type":"output_text","text":4}]},{"role":"user","content":"x"}]}""", "input[0].content[0].text", "invalid_type")]
    [InlineData("""{"model":"m","input":["x"]}""", "input[0]", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":5,"text":"x"}]}]}""", "input[0].content[0].type", "invalid_type")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"text":"x"}]}]}""", "input[0].content[0].type", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{"type":5}}}""", "text.format.type", "invalid_type")]
    [InlineData("""{"model":"m","input":"x","text":{"format":{}}}""", "text.format.type", "missing_required_parameter")]
    [InlineData("""{"model":"m","input":"a\u0000b"}""", "input", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":"\u0000"}]}""", "input[0].content", "invalid_value")]
    [InlineData("""{"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":"a\u0000"}]}]}""", "input[0].content[0].text", "invalid_value")]
    [InlineData("""{"model":"m","input":"x","instructions":"be\u0000brief"}""", "instructions", "invalid_value")]
    public void Validate_BadOrUnsupportedInput_400NamingTheParameter(string json, string param, string code)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(json));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }
}
