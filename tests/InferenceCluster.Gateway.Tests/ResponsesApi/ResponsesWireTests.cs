using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Responses;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Tests.ResponsesApi;

public sealed class ResponsesWireTests
{
    [Fact]
    public async Task WriteStreamErrorAsync_ErrorWithoutParam_EventCarriesParamNull()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var request = new ValidatedResponsesRequest
        {
            Request = new ValidatedRequest { Model = "m", Stream = true, IncludeUsage = true, Sampling = new SamplingSettings() },
        };
        var wire = new ResponsesWire(request, new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 8 });
        var exchange = new CompletionExchange(context, wire, "m", Guid.Empty, 9, null, IncludeUsage: true, Logprobs: false, SplitReasoning: false, MaxTokensParam: "max_output_tokens");

        await wire.WriteStreamErrorAsync(exchange, new OpenAIException(502, "The engine failed.", OpenAIException.ServerErrorType, null, "engine_error"));

        var error = Encoding.UTF8.GetString(body.ToArray()).Split("\n\n")
            .Select(block => block.Split('\n'))
            .Single(lines => lines[0] == "event: error")[1]["data: ".Length..];
        var root = JsonDocument.Parse(error).RootElement;
        Assert.True(root.TryGetProperty("param", out var param), error);
        Assert.Equal(JsonValueKind.Null, param.ValueKind);
        Assert.Equal("engine_error", root.GetProperty("code").GetString());
    }
}
