using System.Net;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.Conformance.Tests;

/// <summary>Raw HTTP for what the SDK does not expose (legacy completions, n choices, reasoning_content).</summary>
internal static class Raw
{
    public static async Task<JsonElement> PostAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The data events of a stream, parsed; asserts it ends with <c>[DONE]</c>.</summary>
    public static async Task<List<JsonElement>> StreamAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        return [.. events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())];
    }
}
