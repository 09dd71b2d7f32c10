using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A member sent as <c>null</c> sets nothing, inside <c>response_format</c> and content parts as at the top level and in
/// the Responses API's <c>text.format</c> and input items: clients that write every field of their own types send
/// <c>"json_schema":null</c> beside <c>"type":"text"</c>. The same members with a value are still refused.
/// </summary>
public sealed class RequestValidatorNullMembersTests
{
    private static ValidatedRequest Chat(string members, string content = "\"Hi\"") =>
        RequestValidator.Chat(JsonDocument.Parse($$"""{"model":"m","messages":[{"role":"user","content":{{content}}}],{{members}}}""").RootElement);

    [Theory]
    [InlineData("""{"type":"text","json_schema":null}""", false)]
    [InlineData("""{"type":"json_object","json_schema":null}""", true)]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"},"extra":null}}""", true)]
    public void Chat_ResponseFormatWithNullMember_AcceptedAsUnset(string format, bool guided)
    {
        var request = Chat("\"response_format\":" + format);

        Assert.Equal(guided, request.Guidance is not null);
    }

    [Fact]
    public void Chat_ContentPartWithNullMember_AcceptedAsUnset()
    {
        var request = Chat("\"max_tokens\":5", """[{"type":"text","text":"Hi","cache_control":null}]""");

        Assert.Equal("Hi", Assert.Single(request.Messages!).Content);
    }

    [Theory]
    [InlineData("""{"type":"text","json_schema":{}}""", "response_format.json_schema")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"r","extra":1}}""", "response_format.json_schema.extra")]
    public void Chat_ResponseFormatWithUnknownMemberSet_Refused(string format, string param)
    {
        var error = Assert.Throws<OpenAIException>(() => Chat("\"response_format\":" + format));

        Assert.Equal(param, error.Param);
        Assert.Equal("unknown_parameter", error.Code);
    }
}
