using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>Guided decoding (response_format json_schema) on the dynamic engine with the test model.</summary>
[Collection(EngineCollection.Name)]
public sealed class GuidanceTests(EngineFixture engines)
{
    // The bundled model never saw JSON and, where the grammar allows whitespace, pads the object with it until the
    // token limit; llguidance's x-guidance option keeps the JSON compact, so the grammar leads it to the property.
    private const string Schema = """{"x-guidance":{"whitespace_flexible":false},"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}""";

    [Fact]
    public async Task GenerateAsync_JsonSchemaGuidance_OutputIsJsonMatchingTheSchema()
    {
        var config = Run.Sampled(1.0, 1.0, 0, seed: 3, maxTokens: 40) with { Guidance = new GenerationGuidance("json_schema", Schema) };

        var result = await Run.CollectAsync(engines.Dynamic, config);

        Assert.True(result.Completed.FinishReason == GenerationFinishReason.Stop, $"not ended by the grammar: {result.Text}");
        using var json = JsonDocument.Parse(result.Text);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.Contains(json.RootElement.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }
}
