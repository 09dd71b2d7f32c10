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
    private const string Prompt = "Talk for a very long time.";

    [Fact]
    public async Task StreamedRequest_ClientDisconnectsAfterFewChunks_WorkerStopsGenerating()
    {
        // min_tokens keeps the model from ending early on its own, so only a cancel can stop it short.
        var body = $$"""
            {"model":"{{ClusterFixture.Model}}","stream":true,"temperature":0.8,"max_tokens":{{MaxTokens}},"min_tokens":{{MaxTokens}},
             "messages":[{"role":"user","content":"{{Prompt}}"}]}
            """;
        // By default HttpClient drains an unread response for up to 2 s to reuse the connection; a client
        // that goes away closes it at once, which is what disposing the response does with no draining.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = cluster.Http.BaseAddress };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions"))
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var chunks = 0;
            while (chunks < 3 && await reader.ReadLineAsync() is { } line)
            {
                chunks += line.StartsWith("data: {", StringComparison.Ordinal) && line.Contains("\"content\":\"", StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.Equal(3, chunks);
        }

        // Disposing the response closed the connection. Find the run it started and wait for it to end.
        var run = Assert.Single(cluster.RunsFor(Prompt));
        var atDisconnect = run.Tokens;
        var ended = await run.Ended.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ended is null or GenerationFinishReason.Cancelled, $"the run ended with {ended}, not cancelled");
        Assert.True(run.Tokens < MaxTokens / 2, $"the worker went on from {atDisconnect} to {run.Tokens} of {MaxTokens} tokens after the client left");
        await WaitForIdleAsync();
        Assert.All(cluster.Workers, worker => Assert.Equal(0, worker.Engine.InFlight));
    }

    private async Task WaitForIdleAsync()
    {
        for (var attempt = 0; attempt < 100 && cluster.Workers.Any(worker => worker.Engine.InFlight > 0); attempt++)
        {
            await Task.Delay(50);
        }
    }
}
