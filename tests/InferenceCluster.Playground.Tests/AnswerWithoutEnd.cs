using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// A chat completion stream, served by the test gateway, that reasons briefly and then writes its answer a line every
/// 50 ms until the page closes it: columns that are still writing whenever a test looks, however loaded the machine,
/// where the test model's longest answer (1500 tokens) can end before a slow browser has shown the other column's
/// first piece. Sent here as <see cref="ReasoningWithoutEnd"/> is.
/// </summary>
internal static class AnswerWithoutEnd
{
    public const string Path = "/test/answer-without-end";

    public static async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        var aborted = context.RequestAborted;
        try
        {
            for (var step = 1; !aborted.IsCancellationRequested; step++)
            {
                object delta = step <= 3
                    ? new { reasoning_content = $"Thought {step}. " }
                    : new { content = $"Line {step - 3} of an answer that goes on.\n" };
                var chunk = new
                {
                    id = "chatcmpl-answer-without-end",
                    @object = "chat.completion.chunk",
                    choices = new[] { new { index = 0, delta } },
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
