using System.Net;
using InferenceCluster.Sweep.Client;
using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Tests.Fakes;

namespace InferenceCluster.Sweep.Tests.Running;

public sealed class ChatCompletionClientTests
{
    private static readonly ChatRequest Request = new("m", "hi", new GridPoint(0.4, 0.9, 32, 1.05, 20), 42);

    [Fact]
    public async Task CompleteAsync_Success_ReadsContentFinishTokensAndMargin()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new FakeReply("<think>x</think> one two three", "length"));
        using var http = new HttpClient();
        var result = await new ChatCompletionClient(http, server.BaseUrl, "secret").CompleteAsync(Request, CancellationToken.None);

        Assert.Equal("<think>x</think> one two three", result.Content);
        Assert.Equal("length", result.FinishReason);
        Assert.Equal(4, result.CompletionTokens);
        Assert.Equal(1.5, result.Margin);

        var body = Assert.Single(server.Requests);
        Assert.Equal("Bearer secret", body.Authorization);
        Assert.Equal(20, body.Body["top_k"]!.GetValue<int>());
        Assert.Equal(2, body.Body["top_logprobs"]!.GetValue<int>());
        Assert.True(body.Body["logprobs"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CompleteAsync_BaseUrlWithV1_PostsToTheSameEndpoint()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new FakeReply("ok"));
        using var http = new HttpClient();
        var result = await new ChatCompletionClient(http, new Uri(server.BaseUrl, "/v1"), null).CompleteAsync(Request, CancellationToken.None);
        Assert.Equal("ok", result.Content);
    }

    [Fact]
    public async Task CompleteAsync_ServerRejects_ThrowsWithStatusMessageAndSettings()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new FakeReply("", Status: 400, Error: "temperature must be at most 0.3"));
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<SweepServerException>(() => new ChatCompletionClient(http, server.BaseUrl, null).CompleteAsync(Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Contains("400", e.Message);
        Assert.Contains("temperature must be at most 0.3", e.Message);
        Assert.Contains("temperature=0.4", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task CompleteAsync_ServerError_RetriedThenThrows()
    {
        await using var server = await FakeOpenAiServer.StartAsync(_ => new FakeReply("", Status: 503, Error: "no workers"));
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<SweepServerException>(() => new ChatCompletionClient(http, server.BaseUrl, null).CompleteAsync(Request, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Status);
        Assert.Contains("no workers", e.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task CompleteAsync_TooManyRequestsOnce_RetriedAndSucceeds()
    {
        var calls = 0;
        await using var server = await FakeOpenAiServer.StartAsync(_ => Interlocked.Increment(ref calls) == 1 ? new FakeReply("", Status: 429, Error: "slow down") : new FakeReply("fine"));
        using var http = new HttpClient();
        var result = await new ChatCompletionClient(http, server.BaseUrl, null).CompleteAsync(Request, CancellationToken.None);

        Assert.Equal("fine", result.Content);
        Assert.Equal(2, server.Requests.Count);
    }
}
