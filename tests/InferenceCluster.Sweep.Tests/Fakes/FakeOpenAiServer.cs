using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Sweep.Tests.Fakes;

/// <summary>
/// A minimal OpenAI-compatible chat endpoint on a loopback port. It records every request body and
/// answers through a test-supplied function, with usage and top-2 logprobs like a real server.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeOpenAiServer> StartAsync(Func<RecordedRequest, FakeReply> reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", async (HttpRequest http) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Body))!;
            var request = new RecordedRequest(body, http.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null);
            server.Requests.Enqueue(request);
            var r = reply(request);
            if (r.Status != 200)
            {
                return Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = r.Error, ["type"] = "invalid_request_error", ["param"] = "temperature" } }, statusCode: r.Status);
            }

            var tokens = r.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var logprobs = new JsonArray([.. tokens.Select(t => (JsonNode)new JsonObject
            {
                ["token"] = t,
                ["logprob"] = -0.25,
                ["top_logprobs"] = new JsonArray(new JsonObject { ["token"] = t, ["logprob"] = -0.25 }, new JsonObject { ["token"] = "x", ["logprob"] = -1.75 }),
            })]);
            return Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["model"] = body["model"]?.GetValue<string>(),
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = r.Content, ["reasoning_content"] = "The answer is 999999." },
                    ["finish_reason"] = r.FinishReason,
                    ["logprobs"] = new JsonObject { ["content"] = logprobs },
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = tokens.Length, ["total_tokens"] = 10 + tokens.Length },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
