using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>Source-generated (de)serialisation of the Responses API, with the chat wire's options.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    // An integer member takes any whole JSON number (1.0 included), as OpenAI's API does.
    Converters = [typeof(WholeNumberConverter<int>), typeof(WholeNumberConverter<long>)])]
[JsonSerializable(typeof(ResponsesRequest))]
[JsonSerializable(typeof(ResponseObject))]
[JsonSerializable(typeof(ResponseStreamEvent))]
[JsonSerializable(typeof(ResponseErrorEvent))]
internal sealed partial class ResponsesJsonContext : JsonSerializerContext
{
    /// <summary>As <see cref="OpenAIJsonContext.Wire"/>: generated text is written as it is, escaping only what JSON requires.</summary>
    public static ResponsesJsonContext Wire => wire ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static ResponsesJsonContext? wire;
}
