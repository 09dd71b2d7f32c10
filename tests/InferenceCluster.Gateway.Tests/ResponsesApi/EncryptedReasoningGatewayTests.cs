using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests.ResponsesApi;

/// <summary>
/// <c>include: ["reasoning.encrypted_content"]</c> on <c>/v1/responses</c>: the reasoning item of the answer, streamed or
/// not, carries its sealed text only when asked, and the gateway takes it back in <c>input</c> (dropped there, as the
/// model's template drops earlier reasoning) unread, whoever sealed it.
/// </summary>
public sealed class EncryptedReasoningGatewayTests : IClassFixture<GatewayFixture>
{
    private const string Include = ""","include":["reasoning.encrypted_content"]""";

    private readonly GatewayFixture _gateway;

    public EncryptedReasoningGatewayTests(GatewayFixture gateway)
    {
        _gateway = gateway;
        _gateway.AnnounceReasoningWorker("-sealed-reasoning");
    }

    [Theory]
    [InlineData(Include, true)]
    [InlineData("", false)]
    public async Task Responses_NonStreamed_ReasoningItemCarriesEncryptedContentOnlyWhenIncluded(string include, bool carried)
    {
        var reasoning = await ReasoningItemAsync(include);

        Assert.Equal("reasoning", reasoning.GetProperty("type").GetString());
        Assert.Equal(carried, reasoning.TryGetProperty("encrypted_content", out _));
    }

    [Theory]
    [InlineData(Include, true)]
    [InlineData("", false)]
    public async Task Responses_Streamed_ReasoningDoneAndCompletedCarryEncryptedContentOnlyWhenIncluded(string include, bool carried)
    {
        var body = Body(FakeWorkerConsumer.ReasoningAcrossTheTag + Guid.NewGuid().ToString("N"), include + ""","stream":true,"temperature":0.7""");
        using var response = await _gateway.Client.PostAsync("/v1/responses", Json(body));
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => JsonDocument.Parse(block.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement)
            .ToList();

        var added = events.First(e => e.GetProperty("type").GetString() == "response.output_item.added").GetProperty("item");
        var done = events.First(e => e.GetProperty("type").GetString() == "response.output_item.done").GetProperty("item");
        var completed = events.Single(e => e.GetProperty("type").GetString() == "response.completed").GetProperty("response").GetProperty("output")[0];
        Assert.Equal(("reasoning", "reasoning"), (added.GetProperty("type").GetString(), done.GetProperty("type").GetString()));
        Assert.False(added.TryGetProperty("encrypted_content", out _));
        Assert.Equal(carried, done.TryGetProperty("encrypted_content", out _));
        Assert.Equal(carried, completed.TryGetProperty("encrypted_content", out _));
    }

    [Fact]
    public async Task Responses_ReasoningItemSentBack_Accepted()
    {
        var reasoning = await ReasoningItemAsync(Include);

        using var response = await _gateway.Client.PostAsync("/v1/responses", Json(Replay(reasoning.GetRawText())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // No gateway opens a sealed value (the item is dropped unread), so one changed on the way, sealed by OpenAI (a
    // conversation moved here) or by a gateway since restarted is taken: stateless agents send every earlier item each turn.
    [Theory]
    [InlineData("changed")]
    [InlineData("gAAAAABpForeignSealedValue==")]
    public async Task Responses_EncryptedContentNotSealedHereSentBack_AcceptedAndDropped(string value)
    {
        var reasoning = await ReasoningItemAsync(Include);
        var sealedText = reasoning.GetProperty("encrypted_content").GetString()!;
        var other = value == "changed" ? sealedText[..^2] + (sealedText[^2] == 'A' ? 'B' : 'A') + sealedText[^1] : value;

        using var response = await _gateway.Client.PostAsync(
            "/v1/responses", Json(Replay(reasoning.GetRawText().Replace(sealedText, other, StringComparison.Ordinal))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<JsonElement> ReasoningItemAsync(string include)
    {
        var body = Body(FakeWorkerConsumer.ReasoningAcrossTheTag + Guid.NewGuid().ToString("N"), include + ""","temperature":0.7""");
        using var response = await _gateway.Client.PostAsync("/v1/responses", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("output")[0].Clone();
    }

    private static string Body(string input, string extra) => $$"""{"model":"{{GatewayFixture.Model}}","input":"{{input}}"{{extra}}}""";

    private static string Replay(string reasoningItem) =>
        $$"""{"model":"{{GatewayFixture.Model}}","store":false,"input":[{{reasoningItem}},{"role":"user","content":"and then?"}]}""";
}
