using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Deserialises a request body. Any failure becomes a 400 naming the member at fault (taken from the
/// serializer's JSON path), never an unhandled exception and so never a 500.
/// </summary>
internal static class ChatRequestReader
{
    public static ChatCompletionRequest Read(ReadOnlyMemory<byte> body)
    {
        ChatCompletionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(body.Span, OpenAIJsonContext.Wire.ChatCompletionRequest);
        }
        catch (JsonException ex)
        {
            throw WireTypeError.For(OpenAIJsonContext.Wire.ChatCompletionRequest, ex);
        }

        return request ?? throw OpenAIException.InvalidJson("expected a JSON object, found null.");
    }

    /// <summary>Turns <c>$.messages[0].content</c> into <c>messages[0].content</c>; null for the root.</summary>
    internal static string? ParamFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
