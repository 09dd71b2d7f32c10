using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Source-generated (de)serialisation of the OpenAI wire format: snake_case, strict about types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    // A client's number where a string belongs (or the reverse) is its error, reported with the member's path.
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = JsonCommentHandling.Disallow,
    // An integer member takes any whole JSON number (1.0 included), as OpenAI's API does.
    Converters = [typeof(WholeNumberConverter<int>), typeof(WholeNumberConverter<long>)])]
[JsonSerializable(typeof(ChatCompletionRequest))]
[JsonSerializable(typeof(ChatCompletionResponse))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(UsageDto))]
[JsonSerializable(typeof(CompletionRequest))]
[JsonSerializable(typeof(TextCompletionResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context used on the wire. It escapes only what JSON requires: generated text in any script and
    /// messages with quotes reach clients as written. Responses are JSON bodies and SSE data lines, never HTML.
    /// </summary>
    // Built on first use: static initialisers of the generated partial (Default) have no defined order relative to ours.
    public static OpenAIJsonContext Wire => wire ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static OpenAIJsonContext? wire;
}
