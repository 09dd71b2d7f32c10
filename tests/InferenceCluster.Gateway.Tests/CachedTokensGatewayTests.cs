using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.Gateway.Tests;

/// <summary>In open mode every caller is one tenant, so the engine's prompt-prefix reuse is reported as <c>cached_tokens</c>.</summary>
public sealed class CachedTokensGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task ChatCompletions_EnginePrefixReuseInOpenMode_ReportedAsCachedTokens()
    {
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(
            $$"""{"model":"{{GatewayFixture.Model}}","messages":[{"role":"user","content":"prefix reused"}],"temperature":1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
        Assert.Equal(5, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }
}
