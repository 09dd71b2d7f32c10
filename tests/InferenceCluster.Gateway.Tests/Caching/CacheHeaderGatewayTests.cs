using System.Net;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>
/// <c>X-Inference-Cache</c> tells a client whether its answer came from the cache: a replay arrives whole, so a
/// client timing it (the playground's tokens/s) needs to know it is not the model's speed.
/// </summary>
public sealed class CacheHeaderGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Header = "X-Inference-Cache";

    [Theory]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/chat/completions", true)]
    [InlineData("/v1/completions", false)]
    [InlineData("/v1/completions", true)]
    [InlineData("/v1/responses", false)]
    [InlineData("/v1/responses", true)]
    public async Task SameSeededRequestTwice_FirstMissThenHit(string path, bool stream)
    {
        var body = Body(path, "cache-header-" + Guid.NewGuid().ToString("N"), $""","seed":5,"stream":{(stream ? "true" : "false")}""");

        Assert.Equal("miss", await CacheOf(path, body));
        Assert.Equal("hit", await CacheOf(path, body));
    }

    [Fact]
    public async Task UnseededSampling_Bypass()
    {
        var body = Chat(GatewayFixture.Model, "cache-bypass-" + Guid.NewGuid().ToString("N"), ""","temperature":0.9""");

        Assert.Equal("bypass", await CacheOf("/v1/chat/completions", body));
        Assert.Equal("bypass", await CacheOf("/v1/chat/completions", body));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoChoicesWhereOnlyTheFirstWasAskedBefore_Partial(bool stream)
    {
        // Choice j of a seeded request runs with seed + j: the first choice is the earlier request's answer, the second is new.
        var prompt = "cache-partial-" + Guid.NewGuid().ToString("N");
        var streamed = stream ? "true" : "false";
        Assert.Equal("miss", await CacheOf("/v1/chat/completions", Chat(GatewayFixture.Model, prompt, $""","seed":5,"stream":{streamed}""")));

        Assert.Equal("partial", await CacheOf("/v1/chat/completions", Chat(GatewayFixture.Model, prompt, $""","seed":5,"n":2,"stream":{streamed}""")));
        Assert.Equal("hit", await CacheOf("/v1/chat/completions", Chat(GatewayFixture.Model, prompt, $""","seed":5,"n":2,"stream":{streamed}""")));
    }

    private static string Body(string path, string prompt, string extra) => path switch
    {
        "/v1/completions" => $$"""{"model":"{{GatewayFixture.Model}}","prompt":"{{prompt}}"{{extra}}}""",
        "/v1/responses" => $$"""{"model":"{{GatewayFixture.Model}}","input":"{{prompt}}"{{extra}}}""",
        _ => Chat(GatewayFixture.Model, prompt, extra),
    };

    private async Task<string> CacheOf(string path, string body)
    {
        using var response = await gateway.Client.PostAsync(path, Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        // The answer is read to its end, so that the first request's choices are stored before the next is sent.
        await response.Content.ReadAsStringAsync();
        return Assert.Single(response.Headers.GetValues(Header));
    }
}
