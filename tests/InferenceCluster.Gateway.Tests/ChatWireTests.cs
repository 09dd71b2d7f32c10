using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.Responses;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Tests;

public sealed class ChatWireTests
{
    private static readonly GenerationConfig Greedy = new() { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 8, Logprobs = true };

    [Fact]
    public async Task WriteResponseAsync_WithLogprobs_UsesOpenAIShape()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var exchange = new CompletionExchange(context, ChatWire.Instance, "m", Guid.Empty, 9, null, IncludeUsage: false, Logprobs: true, SplitReasoning: false, MaxTokensParam: "max_tokens");
        var logprobs = new[] { new TokenLogprob("é", -0.25, [new TopLogprob("é", -0.25), new TopLogprob("e", -1.5)]) };
        var choice = new ChoiceResult(
            new ChoiceJob(0, null, null, Greedy), "é", FinishReason.Length, new CompletionUsage(4, 1, 2), null, "rev", "w", logprobs, FromCache: false);

        await ChatWire.Instance.WriteResponseAsync(exchange, [choice], UsageDto.Of(4, 1, 2));

        Assert.Equal(
            "{\"id\":\"chatcmpl-00000000000000000000000000000000\",\"object\":\"chat.completion\",\"created\":9,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"é\",\"refusal\":null},"
            + "\"logprobs\":{\"content\":[{\"token\":\"é\",\"logprob\":-0.25,\"bytes\":[195,169],"
            + "\"top_logprobs\":[{\"token\":\"é\",\"logprob\":-0.25,\"bytes\":[195,169]},{\"token\":\"e\",\"logprob\":-1.5,\"bytes\":[101]}]}],\"refusal\":null},"
            + "\"finish_reason\":\"length\"}],"
            + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"total_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":2}}}",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteTextAsync_PieceSpansThinkEnd_ReasoningChunkThenContentChunkEachWithItsLogprobs()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var exchange = new CompletionExchange(context, ChatWire.Instance, "m", Guid.Empty, 9, null, IncludeUsage: false, Logprobs: true, SplitReasoning: true, MaxTokensParam: "max_tokens");
        string[] tokens = ["done", ".</think>", "\n\n", "Fo", "ur"];

        await ChatWire.Instance.WriteTextAsync(exchange, 0, new ReasoningPiece("done.", "Four"), [.. tokens.Select(token => new TokenLogprob(token, -1, []))]);

        var chunks = Wire.Events(Encoding.UTF8.GetString(body.ToArray())).Select(data => JsonDocument.Parse(data).RootElement.GetProperty("choices")[0]).ToList();
        Assert.Equal(2, chunks.Count);
        Assert.Equal("{\"reasoning_content\":\"done.\"}", chunks[0].GetProperty("delta").GetRawText());
        Assert.Equal("{\"content\":\"Four\"}", chunks[1].GetProperty("delta").GetRawText());
        Assert.Equal(["done", ".</think>", "\n\n"], TokensOf(chunks[0]));
        Assert.Equal(["Fo", "ur"], TokensOf(chunks[1]));
    }

    [Fact]
    public void ErrorResponse_SerialisesAllFourFields()
    {
        var json = JsonSerializer.Serialize(OpenAIException.ModelNotFound("x").ToResponse(), OpenAIJsonContext.Wire.ErrorResponse);

        Assert.Equal("{\"error\":{\"message\":\"The model 'x' does not exist or is not served here.\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}", json);
    }

    private static string[] TokensOf(JsonElement choice) =>
        [.. choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().Select(token => token.GetProperty("token").GetString()!)];
}
