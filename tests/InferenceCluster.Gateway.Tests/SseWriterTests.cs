using System.Text;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Tests;

public sealed class SseWriterTests
{
    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }

    private static ChatCompletionChunk Chunk(Guid id, ChunkDelta delta) =>
        new(ChatIds.CompletionId(id), "chat.completion.chunk", 5, "m", null, [new ChunkChoice(0, delta, null, null)], default);

    [Fact]
    public async Task StartAsync_SetsStreamingHeaders()
    {
        var (context, _) = NewContext();

        await SseWriter.StartAsync(context.Response, CancellationToken.None);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.Equal("no-cache", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("no", context.Response.Headers["X-Accel-Buffering"].ToString());
    }

    [Fact]
    public async Task WriteAsync_ChunkThenDone_WritesDataLinesSeparatedByBlankLines()
    {
        var (context, body) = NewContext();
        var id = Guid.Parse("00000000-0000-0000-0000-000000000001");

        await SseWriter.WriteAsync(context.Response, Chunk(id, new ChunkDelta(AssistantMessage.AssistantRole, string.Empty)), OpenAIJsonContext.Wire.ChatCompletionChunk, CancellationToken.None);
        await SseWriter.WriteAsync(context.Response, Chunk(id, new ChunkDelta(null, "Hi")), OpenAIJsonContext.Wire.ChatCompletionChunk, CancellationToken.None);
        await SseWriter.WriteDoneAsync(context.Response, CancellationToken.None);

        var expected =
            "data: {\"id\":\"chatcmpl-00000000000000000000000000000001\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            + "data: {\"id\":\"chatcmpl-00000000000000000000000000000001\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            + "data: [DONE]\n\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteErrorAsync_WritesErrorObjectThenDone()
    {
        var (context, body) = NewContext();

        await SseWriter.WriteErrorAsync(context.Response, OpenAIException.Timeout(TimeSpan.FromSeconds(2)), CancellationToken.None);

        Assert.Equal(
            "data: {\"error\":{\"message\":\"The request did not complete within 2 s and was cancelled.\",\"type\":\"server_error\",\"param\":null,\"code\":\"timeout\"}}\n\n"
            + "data: [DONE]\n\n",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteAsync_UsageChunk_HasNoChoicesAndUsage()
    {
        var (context, body) = NewContext();

        var chunk = new ChatCompletionChunk(ChatIds.CompletionId(Guid.Empty), "chat.completion.chunk", 1, "m", null, [], UsageSlot.Of(UsageDto.Of(3, 4, 0)));
        await SseWriter.WriteAsync(context.Response, chunk, OpenAIJsonContext.Wire.ChatCompletionChunk, CancellationToken.None);

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Contains("\"choices\":[]", text, StringComparison.Ordinal);
        Assert.Contains("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7", text, StringComparison.Ordinal);
    }
}
