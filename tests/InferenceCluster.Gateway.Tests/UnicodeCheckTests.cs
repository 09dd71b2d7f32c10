using System.Text;
using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Routing;

namespace InferenceCluster.Gateway.Tests;

public sealed class UnicodeCheckTests
{
    [Theory]
    [InlineData("""{"content":"plain text"}""")]
    [InlineData("""{"content":"caf\u00e9 \u200b"}""")]
    [InlineData("""{"content":"\ud83d\ude00 and \uD83D\uDE00"}""")]
    [InlineData("""{"content":"\\ud800 is only text that looks like an escape"}""")]
    public void ThrowIfInvalid_UnicodeText_Accepted(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(body);

        var error = Record.Exception(() => UnicodeCheck.ThrowIfInvalid(body, document.RootElement));

        Assert.Null(error);
    }

    [Theory]
    [InlineData("""{"model":"\udfff"}""", "model")]
    [InlineData("""{"messages":[{"content":"ok"},{"content":["a","b\uDBFF"]}]}""", "messages[1].content[1]")]
    [InlineData("""{"messages":[[{"x":"\ud800"}]]}""", "messages[0][0].x")]
    [InlineData("""{"messages":[{"\ud801":1}]}""", "messages[0]")]
    [InlineData("""{"\ud801":1}""", null)]
    [InlineData("""{"a":{"[b":"\ud800"}}""", "a.[b")]
    [InlineData("""{"a":{"":"\ud800"}}""", "a.")]
    public void ThrowIfInvalid_LoneSurrogate_RefusedNamingWhereItIs(string json, string? param)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(body);

        var error = Assert.Throws<OpenAIException>(() => UnicodeCheck.ThrowIfInvalid(body, document.RootElement));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_unicode", error.Code);
        Assert.Equal(param, error.Param);
        Assert.Contains("unpaired surrogate escape)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UTF-8", error.Message, StringComparison.Ordinal);
    }
}
