using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The <c>stream_options</c> object of a request.</summary>
internal sealed class StreamOptionsDto
{
    public bool? IncludeUsage { get; set; }

    /// <summary>Only <c>false</c> (or absent) is honoured (<see cref="StreamOptionsRule"/>): events here are never padded.</summary>
    public bool? IncludeObfuscation { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
