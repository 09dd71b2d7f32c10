using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// <c>X-Inference-Config</c> tells a client the config its request ran with: exactly what the worker received,
/// after defaults, profile, coupled top_p and key policy, on JSON and streamed answers alike.
/// </summary>
public sealed class EffectiveConfigHeaderGatewayTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>
{
    private const string Header = "X-Inference-Config";

    private static JsonElement ConfigOf(HttpResponseMessage response) =>
        JsonDocument.Parse(Assert.Single(response.Headers.GetValues(Header))).RootElement;

    [Fact]
    public async Task ChatCompletions_ProfileAndPinnedKey_HeaderIsTheConfigTheWorkerReceived()
    {
        var prompt = "effective-" + Guid.NewGuid().ToString("N");
        using var response = await gateway.Send(
            PolicyGatewayFixture.PinnedKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}:math","messages":[{"role":"user","content":"{{prompt}}"}],"temperature":0.3,"seed":7,"stop":["é\"<"]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var config = ConfigOf(response);
        var sent = gateway.Worker.Last(prompt).Config;
        Assert.True(config.GetProperty("do_sample").GetBoolean());
        Assert.Equal(sent.Temperature, config.GetProperty("temperature").GetDouble());
        Assert.Equal(0.3, sent.Temperature);
        Assert.Equal(sent.TopP, config.GetProperty("top_p").GetDouble());
        Assert.Equal(0.9, sent.TopP);
        Assert.Equal(sent.MaxTokens, config.GetProperty("max_tokens").GetInt32());
        Assert.Equal(512, sent.MaxTokens);

        // The profile's max_tokens, capped by the key, is the server's: a ceiling the worker fits to the context.
        Assert.True(sent.FitMaxTokensToContext);
        Assert.True(config.GetProperty("max_tokens_fit_to_context").GetBoolean());
        Assert.Equal(sent.TopK, config.GetProperty("top_k").GetInt32());
        Assert.Equal(sent.MinTokens, config.GetProperty("min_tokens").GetInt32());

        // No min_tokens was sent either: the floor is the server's, which the worker may lower to what fits.
        Assert.True(sent.FitMinTokensToContext);
        Assert.True(config.GetProperty("min_tokens_fit_to_context").GetBoolean());
        Assert.Equal(sent.RepetitionPenalty, config.GetProperty("repetition_penalty").GetDouble());
        Assert.Equal(7, config.GetProperty("seed").GetInt64());

        // Header values are ASCII: the stop string comes back escaped and decodes to what was sent.
        Assert.Equal(["é\"<"], config.GetProperty("stop").EnumerateArray().Select(stop => stop.GetString()));
        Assert.Equal(1, config.GetProperty("stop_count").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_StreamedGreedy_HeaderSaysGreedyWithoutSeed()
    {
        var prompt = "effective-stream-" + Guid.NewGuid().ToString("N");
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"{{prompt}}"}],"temperature":0,"stream":true}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var config = ConfigOf(response);
        Assert.False(config.GetProperty("do_sample").GetBoolean());
        Assert.Equal(0, config.GetProperty("temperature").GetDouble());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("seed").ValueKind);
        Assert.Equal(gateway.Worker.Last(prompt).Config.MaxTokens, config.GetProperty("max_tokens").GetInt32());
    }

    [Theory]
    [InlineData("max_tokens")]
    [InlineData("max_completion_tokens")]
    public async Task ChatCompletions_ClientMaxTokens_HeaderSaysItIsNotFitted(string member)
    {
        var prompt = "effective-own-" + Guid.NewGuid().ToString("N");
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}:math","messages":[{"role":"user","content":"{{prompt}}"}],"{{member}}":2048}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var config = ConfigOf(response);
        Assert.Equal(2048, config.GetProperty("max_tokens").GetInt32());
        Assert.False(config.GetProperty("max_tokens_fit_to_context").GetBoolean());
        Assert.False(gateway.Worker.Last(prompt).Config.FitMaxTokensToContext);
    }

    [Fact]
    public async Task ChatCompletions_ClientMinTokens_HeaderSaysItIsNotFitted()
    {
        var prompt = "effective-floor-" + Guid.NewGuid().ToString("N");
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"{{prompt}}"}],"min_tokens":3}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var config = ConfigOf(response);
        Assert.Equal(3, config.GetProperty("min_tokens").GetInt32());
        Assert.False(config.GetProperty("min_tokens_fit_to_context").GetBoolean());
        Assert.False(gateway.Worker.Last(prompt).Config.FitMinTokensToContext);
        Assert.True(config.GetProperty("max_tokens_fit_to_context").GetBoolean());
    }

    [Fact]
    public async Task ChatCompletions_StopsThatEscapeLong_HeaderStaysShortAndCountsThem()
    {
        // 400 bytes of stops, well within the engine's limit, that JSON writes as \uXXXX escapes six times as long:
        // the header echoing them in full was 2.6 KB (96 KB at the 16 KiB limit), too much of nginx's 4 KiB for all
        // of an answer's headers.
        var prompt = "effective-long-stop-" + Guid.NewGuid().ToString("N");
        var stop = new string('<', 200);
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"{{prompt}}"}],"stop":["{{stop}}","{{stop}}","x"]}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var header = Assert.Single(response.Headers.GetValues(Header));
        Assert.InRange(header.Length, 1, 2048);
        var config = JsonDocument.Parse(header).RootElement;
        Assert.Equal(3, config.GetProperty("stop_count").GetInt32());
        Assert.False(config.TryGetProperty("stop", out _));
        Assert.Equal([stop, stop, "x"], gateway.Worker.Last(prompt).Config.Stop);
    }

    [Fact]
    public async Task ChatCompletions_Rejected_NoHeader()
    {
        using var response = await gateway.Send(
            PolicyGatewayFixture.RangedKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}","messages":[{"role":"user","content":"x"}],"temperature":1.5}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains(Header));
        Assert.Equal("temperature", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("param").GetString());
    }
}
