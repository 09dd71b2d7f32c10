using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// Chat completion streams, served by the test gateway, that write a piece every 50 ms until the page closes them. A
/// test sends the page's request to one with <c>route.ContinueAsync(new() { Url = ... })</c>, so the page reads a real
/// stream and a real abort.
/// <list type="bullet">
/// <item><see cref="ReasoningPath"/> reasons and never reaches its answer: the state in which a user stops a reasoning
/// model that thinks for minutes; the bundled test model reasons too quickly for a click to land there.</item>
/// <item><see cref="AnswerPath"/> reasons briefly, then writes its answer a line at a time: columns still writing whenever
/// a test looks, however loaded the machine, where the test model's longest answer (1500 tokens) can end before a slow
/// browser has shown the other column's first piece.</item>
/// </list>
/// </summary>
internal static class StreamWithoutEnd
{
    public const string ReasoningPath = "/test/reasoning-without-end";

    public const string AnswerPath = "/test/answer-without-end";

    public static void Map(WebApplication gateway)
    {
        gateway.MapPost(ReasoningPath, context => WriteAsync(context, "chatcmpl-reasoning-without-end", step =>
            new { reasoning_content = $"Step {step}: still thinking. " }));
        gateway.MapPost(AnswerPath, context => WriteAsync(context, "chatcmpl-answer-without-end", step => step <= 3
            ? new { reasoning_content = $"Thought {step}. " }
            : new { content = $"Line {step - 3} of an answer that goes on.\n" }));
    }

    private static async Task WriteAsync(HttpContext context, string id, Func<int, object> delta)
    {
        context.Response.ContentType = "text/event-stream";
        var aborted = context.RequestAborted;
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
    }
}
