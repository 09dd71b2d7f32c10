using System.Net.Http.Headers;
using System.Text;
using InferenceCluster.Inference;
using InferenceCluster.IntegrationTests.Cluster;

namespace InferenceCluster.IntegrationTests;

/// <summary>A client that goes away mid-stream frees its worker: the generation stops, it does not run to max_tokens.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DisconnectTests(ClusterFixture cluster)
{
    private const int MaxTokens = 1500;

    [Fact]
    public async Task StreamedRequest_ClientDisconnectsAfterFewChunks_WorkerStopsGenerating()
    {
        const string Prompt = "Talk for a very long time.";

        // min_tokens keeps the model from ending early on its own, so only a cancel can stop it short.
        await LeaveStreamAsync("/v1/chat/completions", Prompt, "\"content\":\"", $$"""
            {"model":"{{ClusterFixture.Model}}","stream":true,"temperature":0.8,"max_tokens":{{MaxTokens}},"min_tokens":{{MaxTokens}},
             "messages":[{"role":"user","content":"{{Prompt}}"}]}
            """);
    }

    [Fact]
    public async Task StreamedResponse_ClientDisconnectsAfterFewEvents_WorkerStopsGenerating()
    {
        const string Prompt = "Talk for a very long time, through the Responses API.";

        await LeaveStreamAsync("/v1/responses", Prompt, "\"delta\":\"", $$"""
            {"model":"{{ClusterFixture.Model}}","stream":true,"temperature":0.8,"max_output_tokens":{{MaxTokens}},"min_tokens":{{MaxTokens}},
             "input":"{{Prompt}}"}
            """);
    }

    /// <summary>Reads three text events of the stream, goes away, and checks the run stopped well short of its limit.</summary>
    private async Task LeaveStreamAsync(string path, string prompt, string textMarker, string body)
    {
        // By default HttpClient drains an unread response for up to 2 s to reuse the connection; a client
        // that goes away closes it at once, which is what disposing the response does with no draining.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = cluster.Http.BaseAddress };
        using (var request = new HttpRequestMessage(HttpMethod.Post, path))
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var chunks = 0;
            while (chunks < 3 && await reader.ReadLineAsync() is { } line)
            {
                chunks += line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains(textMarker, StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.Equal(3, chunks);
        }

        // Disposing the response closed the connection. Find the run it started and wait for it to end.
        var run = Assert.Single(cluster.RunsFor(prompt));
        var atDisconnect = run.Tokens;
        var ended = await run.Ended.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ended is null or GenerationFinishReason.Cancelled, $"the run ended with {ended}, not cancelled");
        Assert.True(run.Tokens < MaxTokens / 2, $"the worker went on from {atDisconnect} to {run.Tokens} of {MaxTokens} tokens after the client left");
        await WaitForIdleAsync();
        Assert.All(cluster.Workers, worker => Assert.Equal(0, worker.Engine.InFlight));
    }

    /// <summary>Waits until no worker runs a request, for at most 30 s: a loaded machine ends a cancelled run late.</summary>
    private async Task WaitForIdleAsync()
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (cluster.Workers.Any(worker => worker.Engine.InFlight > 0) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
    }
}
