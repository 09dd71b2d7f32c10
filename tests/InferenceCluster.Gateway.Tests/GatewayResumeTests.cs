using System.Diagnostics;
using System.Net;
using System.Text.Json;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// A request run twice (its worker died mid-answer and the broker gave it to another): the client gets each
/// token position once, however the two runs grouped their tokens, and never a join of two different texts.
/// </summary>
public sealed class GatewayResumeTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private HttpClient Client => gateway.Client;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SecondRunRepeatsTheTokensSent_ClientGetsTheTextOnce(bool stream)
    {
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "rerun after loss", $",\"stream\":{(stream ? "true" : "false")},\"seed\":7")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var text = stream ? StreamedText(body) : JsonDocument.Parse(body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
        Assert.Equal("a long answer, token by token", text);
    }

    [Fact]
    public async Task SecondRunDiffersFromTheTokensSent_StreamEndsWithWorkerLostAndCancels()
    {
        var before = gateway.Worker.Received.Select(command => command.RequestId).ToHashSet();
        using var response = await Client.PostAsync("/v1/chat/completions", Json(Chat(GatewayFixture.Model, "rerun differs", ",\"stream\":true")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("the fir", StreamedText(string.Concat(events.Select(data => "data: " + data + "\n\n"))));
        var error = JsonDocument.Parse(events[^2]).RootElement.GetProperty("error");
        Assert.Equal("worker_lost", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Contains("after 7 tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The second run is still going for nobody: it is cancelled.
        var requestId = gateway.Worker.Received.Single(command => !before.Contains(command.RequestId) && command.Messages![^1].Content == "rerun differs").RequestId;
        var watch = Stopwatch.StartNew();
        while (!gateway.Worker.Cancelled.ContainsKey(requestId))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the diverged run was not cancelled within 30 s");
            await Task.Delay(20);
        }
    }

    private static string StreamedText(string body) => string.Concat(Events(body)
        .Where(data => data != "[DONE]")
        .Select(data => JsonDocument.Parse(data).RootElement)
        .Where(chunk => chunk.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0)
        .Select(chunk => chunk.GetProperty("choices")[0].GetProperty("delta"))
        .Where(delta => delta.TryGetProperty("content", out _))
        .Select(delta => delta.GetProperty("content").GetString()));
}
