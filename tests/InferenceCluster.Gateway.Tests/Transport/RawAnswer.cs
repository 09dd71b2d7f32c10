using System.Text.Json;

namespace InferenceCluster.Gateway.Tests.Transport;

/// <summary>One answer read off a socket.</summary>
internal sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The <c>error</c> object of an OpenAI error answer; fails when the answer is not one.</summary>
    public JsonElement Error()
    {
        Assert.True(Body.Length > 0, $"An empty-bodied {Status}.");
        Assert.StartsWith("application/json", Headers["Content-Type"], StringComparison.Ordinal);
        return JsonDocument.Parse(Body).RootElement.GetProperty("error").Clone();
    }
}
