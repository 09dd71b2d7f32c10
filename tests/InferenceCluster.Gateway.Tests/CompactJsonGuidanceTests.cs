using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class CompactJsonGuidanceTests
{
    [Theory]
    [InlineData("{}", """{"x-guidance":{"whitespace_flexible":false}}""")]
    [InlineData("""{ "type": "object" }""", """{"x-guidance":{"whitespace_flexible":false},"type": "object" }""")]
    [InlineData("""{"type":"object","x-guidance":{"whitespace_flexible":true}}""", """{"type":"object","x-guidance":{"whitespace_flexible":true}}""")]
    [InlineData("""{"type":"object","x-guidance":{"whitespace_pattern":" ?"}}""", """{"type":"object","x-guidance":{"whitespace_pattern":" ?"}}""")]
    [InlineData("""{"type":"object","x-guidance":{ "lenient": true }}""", """{"type":"object","x-guidance":{"whitespace_flexible":false,"lenient": true }}""")]
    [InlineData("""{"x-guidance":{ },"properties":{"größe":{"const":"ü\u00e9"}}}""", """{"x-guidance":{"whitespace_flexible":false},"properties":{"größe":{"const":"ü\u00e9"}}}""")]
    public void For_Schema_CompactUnlessItsOwnGuidanceOptionsChooseTheWhitespace(string schema, string expected)
    {
        var guidance = CompactJsonGuidance.For(JsonDocument.Parse(schema).RootElement, "response_format.json_schema.schema");

        Assert.Equal("json_schema", guidance.Type);
        Assert.Equal(expected, guidance.Data);
        using var parsed = JsonDocument.Parse(guidance.Data);
    }

    [Theory]
    [InlineData("""{"x-guidance":null}""")]
    [InlineData("""{"type":"object","x-guidance":"lenient"}""")]
    [InlineData("""{"x-guidance":[]}""")]
    public void For_GuidanceOptionsNotAnObject_400NamingThem(string schema)
    {
        var error = Assert.Throws<OpenAIException>(() => CompactJsonGuidance.For(JsonDocument.Parse(schema).RootElement, "text.format.schema"));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("invalid_type", error.Code);
        Assert.Equal("text.format.schema.x-guidance", error.Param);
    }
}
