using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Chat completion streams, served by the test gateway, that write a piece every 50 ms until the page closes them. A
/// test sends the page's request to one with <c>route.ContinueAsync(new() { Url = ... })</c>, so the page reads a real
/// stream and a real abort, which <see cref="ClosedAsync"/> reports.
/// <list type="bullet">
/// <item><see cref="ReasoningPath"/> reasons and never reaches its answer: the state in which a user stops a reasoning
/// model that thinks for minutes; the bundled test model reasons too quickly for a click to land there.</item>
/// <item><see cref="AnswerPath"/> reasons briefly, then writes its answer a line at a time: columns still writing whenever
/// a test looks, however loaded the machine, where the test model's longest answer (1500 tokens) can end before a slow
/// browser has shown the other column's first piece.</item>
/// </list>
/// </summary>
internal sealed class StreamWithoutEnd
{
    public const string ReasoningPath = "/test/reasoning-without-end";

    public const string AnswerPath = "/test/answer-without-end";

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _closed = new(StringComparer.Ordinal);

    public void Map(WebApplication gateway)
    {
        gateway.MapPost(ReasoningPath, context => WriteAsync(context, "chatcmpl-reasoning-without-end", step =>
            new { reasoning_content = $"Step {step}: still thinking. " }));
        gateway.MapPost(AnswerPath, context => WriteAsync(context, "chatcmpl-answer-without-end", step => step <= 3
            ? new { reasoning_content = $"Thought {step}. " }
            : new { content = $"Line {step - 3} of an answer that goes on.\n" }));
    }

    /// <summary>
    /// Completes when the client closed a stream whose request's last message is <paramref name="prompt"/>: what the
    /// gateway's own endpoint hears as its caller leaving, and answers by cancelling the generation on its worker.
    /// </summary>
    public Task ClosedAsync(string prompt) => Closed(prompt).Task;

    private TaskCompletionSource Closed(string prompt) =>
        _closed.GetOrAdd(prompt, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task WriteAsync(HttpContext context, string id, Func<int, object> delta)
    {
        var aborted = context.RequestAborted;
        var prompt = await LastMessageAsync(context.Request);
        context.Response.ContentType = "text/event-stream";
        try
        {
            for (var step = 1; !aborted.IsCancellationRequested; step++)
            {
                var chunk = new
                {
                    id,
                    @object = "chat.completion.chunk",
                    choices = new[] { new { index = 0, delta = delta(step) } },
                };
                await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", aborted);
                await context.Response.Body.FlushAsync(aborted);
                await Task.Delay(50, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page closed the stream: what these endpoints are for.
        }

        if (aborted.IsCancellationRequested && prompt is not null)
        {
            Closed(prompt).TrySetResult();
        }
    }

    private static async Task<string?> LastMessageAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        return body.RootElement.TryGetProperty("messages", out var messages) && messages.GetArrayLength() > 0
            && messages[messages.GetArrayLength() - 1].TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : null;
    }
}
