using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// Defaults &lt; profile &lt; request, coupled top_p, then the key's policy — observed in the config the
/// worker receives and in the <c>X-Inference-Adjustments</c> header of JSON and SSE answers.
/// </summary>
public sealed class PolicyPrecedenceGatewayTests(PolicyGatewayFixture gateway) : IClassFixture<PolicyGatewayFixture>, IDisposable
{
    private const string Header = "X-Inference-Adjustments";
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;

    public void Dispose() => _listener?.Dispose();

    private static string Chat(string model, string prompt, string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{prompt}}"}]{{extra}}}""";

    private async Task<(GenerateCompletion Command, string? Header, HttpResponseMessage Response)> RunAsync(string key, string model, string extra = "")
    {
        var prompt = "policy-" + Guid.NewGuid().ToString("N");
        var response = await gateway.Send(key, Chat(model, prompt, extra));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await response.Content.LoadIntoBufferAsync();
        var header = response.Headers.TryGetValues(Header, out var values) ? values.Single() : null;
        return (gateway.Worker.Last(prompt), header, response);
    }

    [Fact]
    public async Task ChatCompletions_NothingSet_ServerDefaultsAndNoHeader()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.OpenKey, PolicyGatewayFixture.Model);
        using var _ = response;

        Assert.Equal(0.55, command.Config.Temperature);
        Assert.Equal(0.95, command.Config.TopP);
        Assert.Equal(1024, command.Config.MaxTokens);
        Assert.Equal(1.02, command.Config.RepetitionPenalty);
        Assert.True(command.Config.DoSample);
        Assert.Null(header);
    }

    [Fact]
    public async Task ChatCompletions_Profile_OverridesDefaultsAndIsListed()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.OpenKey, PolicyGatewayFixture.Model + ":code-teaching");
        using var _ = response;

        Assert.Equal(0.50, command.Config.Temperature);
        Assert.Equal(0.90, command.Config.TopP);
        Assert.Equal(1536, command.Config.MaxTokens);
        Assert.Equal(PolicyGatewayFixture.Model, command.Model);
        Assert.Equal("temperature=0.5 (profile code-teaching); top_p=0.9 (profile code-teaching); max_tokens=1536 (profile code-teaching)", header);

        // The answer names the model that ran; the profile is a setting, not a model.
        Assert.Equal(PolicyGatewayFixture.Model, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("model").GetString());
    }

    [Fact]
    public async Task TextCompletions_Profile_ResolvedByTheSamePolicyAsChat()
    {
        var prompt = "policy-text-" + Guid.NewGuid().ToString("N");
        using var response = await gateway.Send(
            PolicyGatewayFixture.OpenKey,
            $$"""{"model":"{{PolicyGatewayFixture.Model}}:code-teaching","prompt":"{{prompt}}"}""",
            "/v1/completions");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var command = gateway.Worker.Received.Last(received => received.Prompt == prompt);
        Assert.Equal(PolicyGatewayFixture.Model, command.Model);
        Assert.Equal(0.50, command.Config.Temperature);
        Assert.Equal(0.90, command.Config.TopP);
        Assert.Equal(1536, command.Config.MaxTokens);
        Assert.Equal(
            "temperature=0.5 (profile code-teaching); top_p=0.9 (profile code-teaching); max_tokens=1536 (profile code-teaching)",
            response.Headers.GetValues(Header).Single());
    }

    [Fact]
    public async Task ChatCompletions_RequestValues_WinOverProfile()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.OpenKey, PolicyGatewayFixture.Model + ":math", ""","temperature":0.3,"max_tokens":64""");
        using var _ = response;

        Assert.Equal(0.3, command.Config.Temperature);
        Assert.Equal(64, command.Config.MaxTokens);

        // 0.3 lies in no coupled band, so the profile's top_p stays.
        Assert.Equal(0.95, command.Config.TopP);
        Assert.Equal("top_p=0.95 (profile math)", header);
    }

    [Fact]
    public async Task ChatCompletions_TemperatureWithoutTopP_TopPCoupled()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.OpenKey, PolicyGatewayFixture.Model, ""","temperature":0.425""");
        using var _ = response;

        Assert.Equal(0.425, command.Config.Temperature);
        Assert.Equal(0.825, command.Config.TopP, 6);
        Assert.Equal("top_p=0.825 (coupled)", header);
    }

    [Fact]
    public async Task ChatCompletions_TemperatureAndTopP_TopPKept()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.OpenKey, PolicyGatewayFixture.Model, ""","temperature":0.425,"top_p":0.5""");
        using var _ = response;

        Assert.Equal(0.5, command.Config.TopP);
        Assert.Null(header);
    }

    [Fact]
    public async Task ChatCompletions_KeyPinsAndCaps_AppliedLastOverProfileAndRequest()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.PinnedKey, PolicyGatewayFixture.Model + ":math", ""","top_p":0.3""");
        using var _ = response;

        Assert.Equal(0.9, command.Config.TopP);
        Assert.Equal(512, command.Config.MaxTokens);
        Assert.Equal(0.55, command.Config.Temperature);
        Assert.Equal("temperature=0.55 (profile math); max_tokens=2048 (profile math); top_p=0.9 (pinned); max_tokens=512 (capped)", header);
    }

    [Fact]
    public async Task ChatCompletions_KeyRange_ClampsServerChosenValue()
    {
        // The client did not choose top_p: the default 0.95 is clamped into the key's range, not rejected.
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.RangedKey, PolicyGatewayFixture.Model);
        using var _ = response;

        Assert.Equal(0.92, command.Config.TopP);
        Assert.Equal("top_p=0.92 (range)", header);
    }

    [Fact]
    public async Task ChatCompletions_LongOutput_GetsHigherRepetitionPenalty()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.RangedKey, PolicyGatewayFixture.Model, ""","top_p":0.8,"max_tokens":1500""");
        using var _ = response;

        Assert.Equal(1500, command.Config.MaxTokens);
        Assert.Equal(1.15, command.Config.RepetitionPenalty);
        Assert.Equal("repetition_penalty=1.15 (long_output)", header);
    }

    [Fact]
    public async Task ChatCompletions_Streamed_CarriesAdjustmentHeader()
    {
        var (command, header, response) = await RunAsync(PolicyGatewayFixture.PinnedKey, PolicyGatewayFixture.Model, ""","stream":true,"max_tokens":900""");
        using var _ = response;

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(512, command.Config.MaxTokens);
        Assert.Equal("top_p=0.9 (pinned); max_tokens=512 (capped)", header);
    }

    [Fact]
    public async Task ChatSpan_RecordsKeyAndAdjustments()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "InferenceCluster.Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);

        var (_, _, response) = await RunAsync(PolicyGatewayFixture.PinnedKey, PolicyGatewayFixture.Model, ""","max_tokens":900""");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        response.Dispose();

        var watch = Stopwatch.StartNew();
        Activity? span;
        while ((span = _spans.SingleOrDefault(activity => (string?)activity.GetTagItem("gen_ai.response.id") == id)) is null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "No chat span was recorded within 30 s.");
            await Task.Delay(10);
        }

        Assert.Equal("pinned", span.GetTagItem("inference_cluster.api_key.name"));
        Assert.Equal(["top_p=0.9 (pinned)", "max_tokens=512 (capped)"], (string[])span.GetTagItem("inference_cluster.policy.adjustments")!);
        Assert.Equal(2, span.Events.Count(e => e.Name == "inference_cluster.policy.adjusted"));
        Assert.Equal(512, span.GetTagItem("gen_ai.request.max_tokens"));
    }
}
