using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The <c>stream_options</c> object of a request.</summary>
internal sealed class StreamOptionsDto
{
    public bool? IncludeUsage { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
