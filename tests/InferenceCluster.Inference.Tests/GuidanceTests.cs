using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>Guided decoding (response_format json_schema) on the dynamic engine with the test model.</summary>
[Collection(EngineCollection.Name)]
public sealed class GuidanceTests(EngineFixture engines)
{
    private const string Schema = """{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}""";

    [Fact]
    public async Task GenerateAsync_JsonSchemaGuidance_OutputIsJsonMatchingTheSchema()
    {
        // The bundled model never saw JSON and, left alone, pads the object with whitespace the grammar allows; a
        // strong repetition penalty moves it on to the property.
        var config = Run.Sampled(1.0, 1.0, 0, seed: 3, maxTokens: 64) with
        {
            Guidance = new GenerationGuidance("json_schema", Schema),
            RepetitionPenalty = 10.0,
        };

        var result = await Run.CollectAsync(engines.Dynamic, config);

        Assert.True(result.Completed.FinishReason == GenerationFinishReason.Stop, $"not ended by the grammar: {result.Text}");
        using var json = JsonDocument.Parse(result.Text);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.Contains(json.RootElement.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }
}
