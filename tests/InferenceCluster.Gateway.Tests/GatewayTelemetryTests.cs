using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;

namespace InferenceCluster.Gateway.Tests;

public sealed class GatewayTelemetryTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>, IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;

    private void Listen()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "InferenceCluster.Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener?.Dispose();

    [Fact]
    public async Task ChatSpan_CarriesRequestSamplingAndCacheResult()
    {
        Listen();
        var request = $$"""{"model":"{{GatewayFixture.Model}}","messages":[{"role":"user","content":"span-{{Guid.NewGuid():N}}"}],"temperature":0.9,"top_p":0.8,"seed":77,"max_tokens":50}""";

        var firstId = await PostAsync(request);
        var secondId = await PostAsync(request);

        var first = await SpanAsync(firstId);
        Assert.Equal($"chat {GatewayFixture.Model}", first.DisplayName);
        Assert.Equal(GatewayFixture.Model, first.GetTagItem("gen_ai.request.model"));
        Assert.Equal(0.9, first.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(0.8, first.GetTagItem("gen_ai.request.top_p"));
        Assert.Equal(50, first.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(77L, first.GetTagItem("gen_ai.request.seed"));
        Assert.Equal("miss", first.GetTagItem("inference_cluster.cache.result"));
        Assert.Equal(3, first.GetTagItem("gen_ai.usage.output_tokens"));

        var second = await SpanAsync(secondId);
        Assert.Equal("hit", second.GetTagItem("inference_cluster.cache.result"));
    }

    [Fact]
    public async Task ChatSpan_UnseededSampling_BypassesCache()
    {
        Listen();
        var id = await PostAsync($$"""{"model":"{{GatewayFixture.Model}}","messages":[{"role":"user","content":"bypass-{{Guid.NewGuid():N}}"}],"temperature":0.9}""");

        var span = await SpanAsync(id);
        Assert.Equal("bypass", span.GetTagItem("inference_cluster.cache.result"));
        Assert.Null(span.GetTagItem("gen_ai.request.seed"));
    }

    [Theory]
    [InlineData(""","user":"u-1" """, "u-1")]
    [InlineData(""","user":"u-1","safety_identifier":"h-1" """, "h-1")]
    public async Task ChatSpan_EndUser_SafetyIdentifierOverUser(string members, string endUser)
    {
        Listen();
        var id = await PostAsync($$"""{"model":"{{GatewayFixture.Model}}","messages":[{"role":"user","content":"enduser-{{Guid.NewGuid():N}}"}]{{members}}}""");

        var span = await SpanAsync(id);
        Assert.Equal(endUser, span.GetTagItem("enduser.id"));
    }

    [Fact]
    public async Task ChatSpan_WorkerRejects_RecordsErrorTypeAndStatus()
    {
        Listen();
        using var response = await gateway.Client.PostAsync(
            "/v1/chat/completions",
            new StringContent($$"""{"model":"{{GatewayFixture.Model}}","messages":[{"role":"user","content":"too long"}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);

        await Eventually.TrueAsync(() => _spans.Any(span => (string?)span.GetTagItem("error.type") == "context_length_exceeded" && span.Status == ActivityStatusCode.Error));
    }

    // The span ends just after the response is written, so it may be stopped a moment after the client has the answer.
    private async Task<Activity> SpanAsync(string responseId)
    {
        await Eventually.TrueAsync(() => _spans.Any(span => (string?)span.GetTagItem("gen_ai.response.id") == responseId));
        return _spans.Single(span => (string?)span.GetTagItem("gen_ai.response.id") == responseId);
    }

    private async Task<string> PostAsync(string json)
    {
        using var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
