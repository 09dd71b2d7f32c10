using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Request bodies and response readers the gateway tests share.</summary>
internal static class Wire
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string Chat(string model, string content, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{content}}"}]{{extra}}}""";

    /// <summary>The <c>error</c> object of a JSON error answer.</summary>
    public static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("error");
    }

    /// <summary>The payloads of an SSE body, in order; anything but a data line fails.</summary>
    public static List<string> Events(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(line =>
            line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : throw new InvalidOperationException($"Not an SSE data line: {line}"))];
}
