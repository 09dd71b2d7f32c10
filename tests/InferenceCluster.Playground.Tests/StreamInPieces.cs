using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Playground.Tests;

/// <summary>
/// A chat completion stream, served by the test gateway, that writes its answer in <see cref="Tokens"/> pieces 50 ms
/// apart and ends as the gateway's streams end (finish reason, usage, <c>[DONE]</c>): an answer whose speed the page can
/// measure however loaded the machine. The test model writes 300 tokens in about a fifth of a second, in pieces the
/// worker sends every 20 ms, which a busy browser may read in one or two goes.
/// </summary>
internal static class StreamInPieces
{
    public const string Path = "/test/answer-in-pieces";

    public const int Tokens = 5;

    public static void Map(WebApplication gateway) => gateway.MapPost(Path, WriteAsync);

    private static async Task WriteAsync(HttpContext context)
    {
        const string Id = "chatcmpl-answer-in-pieces";
        context.Response.ContentType = "text/event-stream";
        var aborted = context.RequestAborted;
        for (var piece = 1; piece <= Tokens; piece++)
        {
            await WriteEventAsync(context, new { id = Id, @object = "chat.completion.chunk", choices = new[] { new { index = 0, delta = new { content = $"Piece {piece}. " } } } });
            await Task.Delay(50, aborted);
        }

        await WriteEventAsync(context, new { id = Id, @object = "chat.completion.chunk", choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } });
        await WriteEventAsync(context, new
        {
            id = Id,
            @object = "chat.completion.chunk",
            choices = Array.Empty<object>(),
            usage = new { prompt_tokens = 9, completion_tokens = Tokens, total_tokens = 9 + Tokens },
        });
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
    }

    private static async Task WriteEventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
