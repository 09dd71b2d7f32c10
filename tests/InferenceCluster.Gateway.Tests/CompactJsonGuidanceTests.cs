using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class CompactJsonGuidanceTests
{
    [Theory]
    [InlineData("{}", """{"x-guidance":{"whitespace_flexible":false}}""")]
    [InlineData("""{ "type": "object" }""", """{"x-guidance":{"whitespace_flexible":false},"type": "object" }""")]
    [InlineData("""{"type":"object","x-guidance":{"whitespace_flexible":true}}""", """{"type":"object","x-guidance":{"whitespace_flexible":true}}""")]
    public void For_Schema_CompactUnlessItSetsItsOwnGuidanceOptions(string schema, string expected)
    {
        var guidance = CompactJsonGuidance.For(JsonDocument.Parse(schema).RootElement);

        Assert.Equal("json_schema", guidance.Type);
        Assert.Equal(expected, guidance.Data);
        using var parsed = JsonDocument.Parse(guidance.Data);
    }
}
