using System.Net.Http.Json;
using System.Text.Json;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// Every kind of bad request through a real gateway, each answered with OpenAI's error object: the
/// status, <c>error.type</c>, <c>error.param</c> and <c>error.code</c> are all asserted.
/// </summary>
public sealed class BadInputTableTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    private const string Open = PolicyGatewayFixture.OpenKey;
    private const string Invalid = "invalid_request_error";
    private const string Server = "server_error";

    private static string Chat(string extra, string content = "x", string model = PolicyGatewayFixture.Model) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{content}}"}]{{extra}}}""";

    private static string Messages(string messages) => $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":{{messages}}}""";

    public static TheoryData<string, string?, string, int, string, string?, string> Cases() => new()
    {
        // Sampling values of the wrong type or out of range.
        { "temperature string", Open, Chat(""","temperature":"warm" """), 400, Invalid, "temperature", "invalid_type" },
        { "temperature negative", Open, Chat(""","temperature":-0.1"""), 400, Invalid, "temperature", "invalid_value" },
        { "temperature above 2", Open, Chat(""","temperature":2.5"""), 400, Invalid, "temperature", "invalid_value" },
        { "temperature huge", Open, Chat(""","temperature":1e308"""), 400, Invalid, "temperature", "invalid_value" },
        { "top_p zero", Open, Chat(""","top_p":0"""), 400, Invalid, "top_p", "invalid_value" },
        { "top_p above 1", Open, Chat(""","top_p":1.5"""), 400, Invalid, "top_p", "invalid_value" },
        { "top_p string", Open, Chat(""","top_p":"high" """), 400, Invalid, "top_p", "invalid_type" },
        { "top_k negative", Open, Chat(""","top_k":-1"""), 400, Invalid, "top_k", "invalid_value" },
        { "top_k fraction", Open, Chat(""","top_k":1.5"""), 400, Invalid, "top_k", "invalid_type" },
        { "max_tokens zero", Open, Chat(""","max_tokens":0"""), 400, Invalid, "max_tokens", "invalid_value" },
        { "max_tokens negative", Open, Chat(""","max_tokens":-5"""), 400, Invalid, "max_tokens", "invalid_value" },
        { "max_tokens string", Open, Chat(""","max_tokens":"10" """), 400, Invalid, "max_tokens", "invalid_type" },
        { "max_tokens beyond int", Open, Chat(""","max_tokens":99999999999999"""), 400, Invalid, "max_tokens", "invalid_type" },
        { "max_completion_tokens zero", Open, Chat(""","max_completion_tokens":0"""), 400, Invalid, "max_completion_tokens", "invalid_value" },
        { "both max token fields differ", Open, Chat(""","max_tokens":10,"max_completion_tokens":20"""), 400, Invalid, "max_completion_tokens", "invalid_value" },
        { "min_tokens negative", Open, Chat(""","min_tokens":-1"""), 400, Invalid, "min_tokens", "invalid_value" },
        { "min_tokens above max_tokens", Open, Chat(""","min_tokens":50,"max_tokens":10"""), 400, Invalid, "min_tokens", "invalid_value" },
        { "min_tokens above default max", Open, Chat(""","min_tokens":5000"""), 400, Invalid, "min_tokens", "invalid_value" },
        { "repetition_penalty zero", Open, Chat(""","repetition_penalty":0"""), 400, Invalid, "repetition_penalty", "invalid_value" },
        { "repetition_penalty above 2", Open, Chat(""","repetition_penalty":3"""), 400, Invalid, "repetition_penalty", "invalid_value" },
        { "seed string", Open, Chat(""","seed":"abc" """), 400, Invalid, "seed", "invalid_type" },

        // Positive values the engine's single precision turns into 0 (a sampled turn at temperature 0, a top_p of 0).
        { "temperature below single precision", Open, Chat(""","temperature":1e-46"""), 400, Invalid, "temperature", "invalid_value" },
        { "top_p below single precision", Open, Chat(""","top_p":1e-320"""), 400, Invalid, "top_p", "invalid_value" },
        { "repetition_penalty below single precision", Open, Chat(""","repetition_penalty":1e-46"""), 400, Invalid, "repetition_penalty", "invalid_value" },
        // A penalty that single precision can only hold as a subnormal number turns the scores it divides infinite.
        { "repetition_penalty subnormal in single precision", Open, Chat(""","repetition_penalty":1e-40"""), 400, Invalid, "repetition_penalty", "invalid_value" },

        // Stops, logprobs, streaming flags, user.
        { "stop empty string", Open, Chat(""","stop":"" """), 400, Invalid, "stop", "invalid_value" },
        { "stop five sequences", Open, Chat(""","stop":["a","b","c","d","e"]"""), 400, Invalid, "stop", "invalid_value" },
        { "stop number", Open, Chat(""","stop":42"""), 400, Invalid, "stop", "invalid_type" },
        { "stop item number", Open, Chat(""","stop":[1]"""), 400, Invalid, "stop[0]", "invalid_type" },
        { "stop item empty", Open, Chat(""","stop":["a",""]"""), 400, Invalid, "stop[1]", "invalid_value" },
        { "logprobs string", Open, Chat(""","logprobs":"yes" """), 400, Invalid, "logprobs", "invalid_type" },
        { "top_logprobs without logprobs", Open, Chat(""","top_logprobs":2"""), 400, Invalid, "top_logprobs", "invalid_value" },
        { "top_logprobs above 20", Open, Chat(""","logprobs":true,"top_logprobs":21"""), 400, Invalid, "top_logprobs", "invalid_value" },
        { "stream string", Open, Chat(""","stream":"true" """), 400, Invalid, "stream", "invalid_type" },
        { "stream_options without stream", Open, Chat(""","stream_options":{"include_usage":true}"""), 400, Invalid, "stream_options", "invalid_value" },
        { "stream_options unknown member", Open, Chat(""","stream":true,"stream_options":{"foo":1}"""), 400, Invalid, "stream_options.foo", "unknown_parameter" },
        { "user number", Open, Chat(""","user":5"""), 400, Invalid, "user", "invalid_type" },
        { "tools not empty", Open, Chat(""","tools":[{"type":"function"}]"""), 400, Invalid, "tools", "unsupported_parameter" },
        { "tool_choice required", Open, Chat(""","tool_choice":"required" """), 400, Invalid, "tool_choice", "unsupported_parameter" },
        { "response_format type missing", Open, Chat(""","response_format":{}"""), 400, Invalid, "response_format.type", "missing_required_parameter" },
        { "response_format type number", Open, Chat(""","response_format":{"type":5}"""), 400, Invalid, "response_format.type", "invalid_type" },
        { "response_format json_schema string", Open, Chat(""","response_format":{"type":"json_schema","json_schema":"s"}"""), 400, Invalid, "response_format.json_schema", "invalid_type" },
        { "logit_bias with a bias", Open, Chat(""","logit_bias":{"1":2}"""), 400, Invalid, "logit_bias", "unsupported_parameter" },

        // The model and its profile.
        { "model missing", Open, """{"messages":[{"role":"user","content":"x"}]}""", 400, Invalid, "model", "missing_required_parameter" },
        { "model number", Open, """{"model":5,"messages":[{"role":"user","content":"x"}]}""", 400, Invalid, "model", "invalid_type" },
        { "model empty", Open, Chat("", model: ""), 400, Invalid, "model", "missing_required_parameter" },
        { "profile unknown", Open, Chat("", model: PolicyGatewayFixture.Model + ":no-such-profile"), 400, Invalid, "model", "profile_not_found" },
        { "profile without model", Open, Chat("", model: ":math"), 400, Invalid, "model", "invalid_value" },
        { "model unknown", Open, Chat("", model: "no-such-model"), 404, Invalid, "model", "model_not_found" },
        { "model without live worker", Open, Chat("", model: PolicyGatewayFixture.StaleModel), 503, Server, "model", "model_unavailable" },

        // Messages.
        { "messages missing", Open, $$"""{"model":"{{PolicyGatewayFixture.Model}}"}""", 400, Invalid, "messages", "missing_required_parameter" },
        { "messages empty", Open, Messages("[]"), 400, Invalid, "messages", "invalid_value" },
        { "messages string", Open, Messages("\"hi\""), 400, Invalid, "messages", "invalid_type" },
        { "message null", Open, Messages("[null]"), 400, Invalid, "messages[0]", "invalid_type" },
        { "role unknown", Open, Messages("""[{"role":"wizard","content":"x"}]"""), 400, Invalid, "messages[0].role", "invalid_value" },
        { "role missing", Open, Messages("""[{"content":"x"}]"""), 400, Invalid, "messages[0].role", "missing_required_parameter" },
        { "content missing", Open, Messages("""[{"role":"user"}]"""), 400, Invalid, "messages[0].content", "missing_required_parameter" },
        { "content number", Open, Messages("""[{"role":"user","content":5}]"""), 400, Invalid, "messages[0].content", "invalid_type" },
        { "content parts empty", Open, Messages("""[{"role":"user","content":[]}]"""), 400, Invalid, "messages[0].content", "invalid_value" },
        { "content part image", Open, Messages("""[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]"""), 400, Invalid, "messages[0].content[0].type", "unsupported_parameter" },
        { "content part type number", Open, Messages("""[{"role":"user","content":[{"type":5,"text":"x"}]}]"""), 400, Invalid, "messages[0].content[0].type", "invalid_type" },
        { "content part text missing", Open, Messages("""[{"role":"user","content":[{"type":"text"}]}]"""), 400, Invalid, "messages[0].content[0].text", "missing_required_parameter" },
        { "content lone surrogate", Open, Messages("""[{"role":"user","content":"a\ud800b"}]"""), 400, Invalid, "messages[0].content", "invalid_unicode" },
        { "model lone surrogate", Open, """{"model":"\udfff","messages":[]}""", 400, Invalid, "model", "invalid_unicode" },
        { "upper-case lone surrogate in a part", Open, Messages("""[{"role":"user","content":"ok"},{"role":"user","content":[{"type":"text","text":"\uDBFF!"}]}]"""), 400, Invalid, "messages[1].content[0].text", "invalid_unicode" },
        { "lone surrogate member name", Open, Messages("""[{"role":"user","content":"x","\ud801":1}]"""), 400, Invalid, "messages[0]", "invalid_unicode" },
        // The tokenizer reads a C string, which would end at a NUL: the model would see a shortened prompt or stop.
        { "content NUL", Open, Messages("""[{"role":"user","content":"a\u0000b"}]"""), 400, Invalid, "messages[0].content", "invalid_value" },
        { "content part NUL", Open, Messages("""[{"role":"user","content":[{"type":"text","text":"\u0000"}]}]"""), 400, Invalid, "messages[0].content[0].text", "invalid_value" },
        { "stop NUL", Open, Chat(""","stop":"a\u0000b" """), 400, Invalid, "stop", "invalid_value" },
        { "stop item NUL", Open, Chat(""","stop":["a","b\u0000"]"""), 400, Invalid, "stop[1]", "invalid_value" },
        { "message unknown member", Open, Messages("""[{"role":"user","content":"x","mood":"happy"}]"""), 400, Invalid, "messages[0].mood", "unknown_parameter" },

        // The body itself.
        { "malformed json", Open, """{"model":""", 400, Invalid, null, "invalid_json" },
        { "not json", Open, "not json at all", 400, Invalid, null, "invalid_json" },
        { "top-level array", Open, "[1,2]", 400, Invalid, null, "invalid_json" },
        { "empty body", Open, string.Empty, 400, Invalid, null, "invalid_json" },
        { "parameter set twice", Open, Chat(""","temperature":0,"temperature":1.5"""), 400, Invalid, "temperature", "duplicate_parameter" },
        { "message member set twice", Open, Messages("""[{"role":"user","content":"x","role":"system"}]"""), 400, Invalid, "messages[0].role", "duplicate_parameter" },
        { "model set twice", Open, $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"x"}],"model":"no-such-model"}""", 400, Invalid, "model", "duplicate_parameter" },
        { "member set twice in an escaped spelling", Open, Chat(""","seed":1,"s\u0065ed":2"""), 400, Invalid, "seed", "duplicate_parameter" },
        { "body over limit", Open, Chat(string.Empty, new string('a', 5000)), 413, Invalid, null, "request_too_large" },

        // What the worker or the deadline decides.
        { "prompt too long for context", Open, Chat(string.Empty, "too long"), 400, Invalid, "messages", "context_length_exceeded" },
        { "deadline passes", Open, Chat(string.Empty, "hang"), 504, Server, null, "timeout" },

        // Keys and their policy.
        { "no api key", null, Chat(string.Empty), 401, Invalid, null, "invalid_api_key" },
        { "unknown api key", "sk-wrong", Chat(string.Empty), 401, Invalid, null, "invalid_api_key" },
        { "temperature outside key range", PolicyGatewayFixture.RangedKey, Chat(""","temperature":1.5"""), 400, Invalid, "temperature", "outside_allowed_range" },
        { "top_p outside key range", PolicyGatewayFixture.RangedKey, Chat(""","top_p":0.3"""), 400, Invalid, "top_p", "outside_allowed_range" },
        { "max_tokens outside key range", PolicyGatewayFixture.RangedKey, Chat(""","max_tokens":5000"""), 400, Invalid, "max_tokens", "outside_allowed_range" },
        {
            "max_completion_tokens outside key range", PolicyGatewayFixture.RangedKey, Chat(""","max_completion_tokens":5000"""), 400, Invalid,
            "max_completion_tokens", "outside_allowed_range"
        },
    };

    [Fact]
    public async Task Responses_MaxOutputTokensOutsideKeyRange_ErrorNamesMaxOutputTokens()
    {
        // The policy speaks of max_tokens; a Responses client sent, and must be told about, max_output_tokens.
        using var response = await gateway.Send(
            PolicyGatewayFixture.RangedKey, $$"""{"model":"{{PolicyGatewayFixture.Model}}","input":"x","max_output_tokens":5000}""", "/v1/responses");

        Assert.Equal(400, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("outside_allowed_range", error.GetProperty("code").GetString());
        Assert.Equal("max_output_tokens", error.GetProperty("param").GetString());
        Assert.StartsWith("'max_output_tokens' = 5000", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ChatCompletions_BadInput_AnswersWithOpenAIError(string name, string? key, string body, int status, string type, string? param, string code)
    {
        // The worker never answers "hang": its deadline is passed on the gateway's clock rather than waited for.
        using var response = body.Contains("\"hang\"", StringComparison.Ordinal)
            ? await gateway.SendPastDeadlineAsync(key, body, "hang")
            : await gateway.Send(key, body);

        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()), name);
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }
}
