using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>A minimal OpenAI-compatible server on 127.0.0.1 (free port) that records what reached it.</summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    /// <summary>The requests a minute the upstream says its own account may make.</summary>
    public const string UpstreamRequestsPerMinute = "10000";

    /// <summary>A request header naming the status the upstream answers with an empty body (<c>Content-Length: 0</c>).</summary>
    public const string EmptyErrorHeader = "X-Test-Empty-Status";

    private WebApplication? _app;

    public ConcurrentQueue<(string Model, bool SawModelHeader)> Requests { get; } = new();

    /// <summary>The Authorization header of each request that reached the upstream ("" when absent).</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    public string Address { get; private set; } = string.Empty;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            // An upstream that answers an error without a body.
            if (int.TryParse(context.Request.Headers[EmptyErrorHeader], out var emptyStatus))
            {
                context.Response.StatusCode = emptyStatus;
                context.Response.ContentLength = 0;
                return;
            }

            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var model = body.RootElement.GetProperty("model").GetString()!;
            Requests.Enqueue((model, context.Request.Headers.ContainsKey("X-Inference-Model")));
            Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
            context.Response.ContentType = "application/json";

            // As a hosted API answers: its own account's rate, which is not a gateway key's.
            context.Response.Headers["x-ratelimit-limit-requests"] = UpstreamRequestsPerMinute;
            context.Response.Headers["x-ratelimit-remaining-requests"] = UpstreamRequestsPerMinute;
            context.Response.Headers["x-ratelimit-reset-requests"] = "1ms";
            context.Response.Headers["x-ratelimit-remaining-tokens"] = "149990000";
            await context.Response.WriteAsync(
                $$$"""{"id":"up-1","object":"chat.completion","created":1,"model":"{{{model}}}","choices":[{"index":0,"message":{"role":"assistant","content":"from upstream"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""");
        });
        await _app.StartAsync();
        Address = _app.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
