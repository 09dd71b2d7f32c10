using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// A chat completion stream, served by the test gateway, that reasons a piece every 50 ms and never reaches its
/// answer: the state in which a user stops a reasoning model that thinks for minutes. The bundled test model
/// reasons too quickly for a click to land there. A test sends the page's request here with
/// <c>route.ContinueAsync(new() { Url = ... })</c>, so the page reads a real stream and a real abort.
/// </summary>
internal static class ReasoningWithoutEnd
{
    public const string Path = "/test/reasoning-without-end";

    public static async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        var aborted = context.RequestAborted;
        try
        {
            for (var step = 1; !aborted.IsCancellationRequested; step++)
            {
                var chunk = new
                {
                    id = "chatcmpl-reasoning-without-end",
                    @object = "chat.completion.chunk",
                    choices = new[] { new { index = 0, delta = new { reasoning_content = $"Step {step}: still thinking. " } } },
                };
                await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", aborted);
                await context.Response.Body.FlushAsync(aborted);
                await Task.Delay(50, aborted);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The page closed the stream: what this endpoint is for.
        }
    }
}
