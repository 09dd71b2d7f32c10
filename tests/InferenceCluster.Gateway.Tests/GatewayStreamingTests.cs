using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>Streaming, deadlines and cancellation through a real gateway.</summary>
public sealed class GatewayStreamingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // Real time for what a test waits for to happen on the in-memory bus: generous, since a loaded machine takes seconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private HttpClient Client => gateway.Client;

    [Fact]
    public async Task ChatCompletions_Streamed_ReordersDedupesAndEndsWithUsageAndDone()
    {
        var prompt = "stream-" + Guid.NewGuid().ToString("N");
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, prompt, ""","temperature":1.2,"stream":true,"stream_options":{"include_usage":true}""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(data => JsonDocument.Parse(data).RootElement).ToList();
        Assert.All(chunks, chunk => Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(chunk => chunk.GetProperty("id").GetString()).Distinct());

        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = string.Concat(chunks.Skip(1)
            .Where(chunk => chunk.GetProperty("choices").GetArrayLength() > 0)
            .Select(chunk => chunk.GetProperty("choices")[0].GetProperty("delta"))
            .Where(delta => delta.TryGetProperty("content", out _))
            .Select(delta => delta.GetProperty("content").GetString()));
        Assert.Equal($"echo:{prompt}|t=1.2|sample=True|max=1024|seed=", text);

        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_StreamWithoutIncludeUsage_HasNoUsageChunk()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "no-usage-" + Guid.NewGuid(), ""","stream":true""")));

        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.DoesNotContain(events[..^1], data => data.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Contains("\"finish_reason\":\"stop\"", events[^2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_WorkerFailsMidStream_SendsErrorEventThenDone()
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "fail midway", ""","stream":true""")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("\"content\":\"partial\"", events[1], StringComparison.Ordinal);
        var error = JsonDocument.Parse(events[^2]).RootElement.GetProperty("error");
        Assert.Equal("engine_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_FinalMessageBeforeItsTokens_FailsAt502NotAtTheDeadline()
    {
        var watch = Stopwatch.StartNew();
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "final before its tokens", "")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("engine_error", error.GetProperty("code").GetString());
        Assert.Contains("ending at token position 1 that carries 3 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < GatewayFixture.RequestTimeout, $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task ChatCompletions_DeltaBeforeTheStart_FailsAt502AndCancelsAtWorkers()
    {
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "delta before the start", "")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await ErrorOf(response);
        Assert.Equal("engine_error", error.GetProperty("code").GetString());
        Assert.Contains("a reply at token position -1", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The worker that sent it may still be generating: it is told to stop.
        var requestId = gateway.Worker.Received.Single(command => !before.Contains(command.RequestId) && command.Messages![^1].Content == "delta before the start").RequestId;
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), Patience);
    }

    [Fact]
    public async Task ChatCompletions_DeadlinePasses_Returns504AndCancelsAtWorkers()
    {
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        var call = Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "hang", ""","user":"deadline-test" """)));
        var requestId = await ReceivedAsync(before, "hang");

        Assert.False(call.IsCompleted, "a request the worker never answers was answered before its deadline");
        Assert.True(gateway.PassDeadlines() > 0, "no request deadline was running");
        using var response = await call.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
        Assert.Equal("timeout", (await ErrorOf(response)).GetProperty("code").GetString());
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), Patience);
    }

    [Fact]
    public async Task ChatCompletions_DeadlinePassesMidStream_SendsTimeoutEventThenDoneAndCancels()
    {
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json(Chat(GatewayFixture.Model, "stall after first delta", ""","stream":true""")),
        };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reading = new CancellationTokenSource(Patience);
        using var body = new StreamReader(await response.Content.ReadAsStreamAsync(reading.Token));
        var streamed = new StringBuilder();
        while (!streamed.ToString().Contains("\"content\":\"first\"", StringComparison.Ordinal))
        {
            var line = await body.ReadLineAsync(reading.Token) ?? throw new InvalidOperationException($"the stream ended before its first delta: {streamed}");
            streamed.Append(line).Append('\n');
        }

        // The first delta reached the client; the worker sends nothing more, so only the deadline ends the stream.
        var requestId = await ReceivedAsync(before, "stall after first delta");
        Assert.True(gateway.PassDeadlines() > 0, "no request deadline was running");
        streamed.Append(await body.ReadToEndAsync(reading.Token));

        var events = Events(streamed.ToString());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("\"content\":\"first\"", events[1], StringComparison.Ordinal);
        Assert.Equal("timeout", JsonDocument.Parse(events[^2]).RootElement.GetProperty("error").GetProperty("code").GetString());
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), Patience);
    }

    [Fact]
    public async Task ChatCompletions_ClientDisconnects_PublishesCancel()
    {
        var prompt = "hang";
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        using var abort = new CancellationTokenSource();
        var call = Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, prompt, ""","stream":true""")), abort.Token);

        await Eventually(() => gateway.Worker.Received.Any(command => !before.Contains(command.RequestId)), Patience);
        var requestId = gateway.Worker.Received.First(command => !before.Contains(command.RequestId)).RequestId;
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // Well before the request's deadline, a minute away, so it is the disconnect that cancelled it.
        await Eventually(() => gateway.Worker.Cancelled.ContainsKey(requestId), Patience);
    }

    /// <summary>Waits until the worker has received a request with <paramref name="prompt"/> sent after <paramref name="before"/>; returns its id.</summary>
    private async Task<Guid> ReceivedAsync(HashSet<Guid> before, string prompt)
    {
        bool IsNew(GenerateCompletion command) => !before.Contains(command.RequestId) && command.Messages![^1].Content == prompt;
        await Eventually(() => gateway.Worker.Received.Any(IsNew), Patience);
        return gateway.Worker.Received.Single(IsNew).RequestId;
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < within, $"Condition not met within {within}.");
            await Task.Delay(20);
        }
    }
}
