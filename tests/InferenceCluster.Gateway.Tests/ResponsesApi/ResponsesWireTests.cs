using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Responses;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Tests.ResponsesApi;

public sealed class ResponsesWireTests
{
    private static readonly GenerationConfig ServerChosen = new() { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 1024, FitMaxTokensToContext = true };

    [Fact]
    public async Task WriteStreamErrorAsync_ErrorWithoutParam_EventCarriesParamNull()
    {
        var (root, error) = await ErrorEventAsync(new OpenAIException(502, "The engine failed.", OpenAIException.ServerErrorType, null, "engine_error"));

        Assert.True(root.TryGetProperty("param", out var param), error);
        Assert.Equal(JsonValueKind.Null, param.ValueKind);
        Assert.Equal("engine_error", root.GetProperty("code").GetString());
    }

    // OpenAI documents the event's code, message and param at its top level, but sends them nested under "error" as well; the
    // Node SDK's responses.stream() rejects with the bare event object unless that "error" is there (then it throws an APIError).
    [Fact]
    public async Task WriteStreamErrorAsync_Error_EventCarriesTheErrorObjectBesideItsOwnMembers()
    {
        var (root, _) = await ErrorEventAsync(new OpenAIException(504, "Too slow.", OpenAIException.ServerErrorType, null, "timeout"));

        Assert.Equal("Too slow.", root.GetProperty("message").GetString());
        var error = root.GetProperty("error");
        Assert.Equal("Too slow.", error.GetProperty("message").GetString());
        Assert.Equal(OpenAIException.ServerErrorType, error.GetProperty("type").GetString());
        Assert.Equal("timeout", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
    }

    // An error without a code (a worker failure may have none) is coded by its type in the event; the SDKs read the nested one.
    [Fact]
    public async Task WriteStreamErrorAsync_ErrorWithoutCode_NestedCodeIsTheEventsCode()
    {
        var (root, _) = await ErrorEventAsync(new OpenAIException(502, "The worker failed.", OpenAIException.ServerErrorType, null, null));

        Assert.Equal(OpenAIException.ServerErrorType, root.GetProperty("code").GetString());
        Assert.Equal(OpenAIException.ServerErrorType, root.GetProperty("error").GetProperty("code").GetString());
    }

    /// <summary>The <c>error</c> event a stream with nothing sent yet writes for <paramref name="failure"/>: its data parsed, and as text.</summary>
    private static async Task<(JsonElement Root, string Data)> ErrorEventAsync(OpenAIException failure)
    {
        var (wire, exchange, body) = Fitted(stream: true);

        await wire.WriteStreamErrorAsync(exchange, failure);

        var data = Encoding.UTF8.GetString(body.ToArray()).Split("\n\n")
            .Select(block => block.Split('\n'))
            .Single(lines => lines[0] == "event: error")[1]["data: ".Length..];
        return (JsonDocument.Parse(data).RootElement, data);
    }

    [Fact]
    public async Task WriteResponseAsync_ServerChosenLimit_EchoesTheLimitTheWorkerApplied()
    {
        var (wire, exchange, body) = Fitted(stream: false);
        var job = new ChoiceJob(0, [new ChatMessage("user", "hi")], null, ServerChosen);
        var choice = new ChoiceResult(job, "answer", FinishReason.Length, new CompletionUsage(9, 5, 0), null, "r", "w", null, false, MaxTokens: 5);

        await wire.WriteResponseAsync(exchange, [choice], UsageDto.Of(9, 5, 0));

        var root = JsonDocument.Parse(body.ToArray()).RootElement;
        Assert.Equal(5, root.GetProperty("max_output_tokens").GetInt32());
    }

    [Fact]
    public async Task WriteUsageAsync_StreamOfAServerChosenLimit_CreatedEchoesNullCompletedTheAppliedLimit()
    {
        var (wire, exchange, body) = Fitted(stream: true);

        await wire.WriteStartAsync(exchange, [0]);
        await wire.WriteFinishAsync(exchange, 0, FinishReason.Length, appliedMaxTokens: 5);
        await wire.WriteUsageAsync(exchange, UsageDto.Of(9, 5, 0));

        var events = Encoding.UTF8.GetString(body.ToArray()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .ToDictionary(lines => lines[0]["event: ".Length..], lines => JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement);
        Assert.Equal(JsonValueKind.Null, events["response.created"].GetProperty("response").GetProperty("max_output_tokens").ValueKind);
        Assert.Equal(5, events["response.incomplete"].GetProperty("response").GetProperty("max_output_tokens").GetInt32());
    }

    [Fact]
    public async Task WriteStreamErrorAsync_FailsInsideTheMessage_FailedResponseListsEveryAddedItem()
    {
        var (wire, exchange, body) = Fitted(stream: true);

        await wire.WriteStartAsync(exchange, [0]);
        await wire.WriteTextAsync(exchange, 0, new ReasoningPiece("Think", string.Empty), null);
        await wire.WriteTextAsync(exchange, 0, new ReasoningPiece(string.Empty, "Hel"), null);
        await wire.WriteTextAsync(exchange, 0, new ReasoningPiece(string.Empty, "lo"), null);
        await wire.WriteStreamErrorAsync(exchange, new OpenAIException(502, "The engine failed.", OpenAIException.ServerErrorType, null, "engine_error"));

        var events = Events(body);
        AssertEveryAddedItemIsDoneBeforeTheError(events);
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(2, output.GetArrayLength());
        Assert.Equal(("reasoning", "completed", "Think"), Item(output[0]));
        Assert.Equal(("message", "incomplete", "Hello"), Item(output[1]));
        Assert.Equal("incomplete", events.Single(e => e.Type == "response.output_item.done" && e.Data.GetProperty("output_index").GetInt32() == 1)
            .Data.GetProperty("item").GetProperty("status").GetString());
    }

    [Fact]
    public async Task WriteStreamErrorAsync_FailsInsideTheReasoning_FailedResponseListsTheReasoningIncomplete()
    {
        var (wire, exchange, body) = Fitted(stream: true);

        await wire.WriteStartAsync(exchange, [0]);
        await wire.WriteTextAsync(exchange, 0, new ReasoningPiece("Thi", string.Empty), null);
        await wire.WriteTextAsync(exchange, 0, new ReasoningPiece("nk", string.Empty), null);
        await wire.WriteStreamErrorAsync(exchange, new OpenAIException(502, "The engine failed.", OpenAIException.ServerErrorType, null, "engine_error"));

        var events = Events(body);
        AssertEveryAddedItemIsDoneBeforeTheError(events);
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(("reasoning", "incomplete", "Think"), Item(output.EnumerateArray().Single()));
    }

    [Fact]
    public async Task WriteStreamErrorAsync_FailsAfterTheMessageWasDone_ItemsAreNotClosedTwice()
    {
        var (wire, exchange, body) = Fitted(stream: true);

        await wire.WriteStartAsync(exchange, [0]);
        await wire.WriteTextAsync(exchange, 0, new ReasoningPiece(string.Empty, "Hi"), null);
        await wire.WriteFinishAsync(exchange, 0, FinishReason.Stop, appliedMaxTokens: 5);
        await wire.WriteStreamErrorAsync(exchange, new OpenAIException(502, "The engine failed.", OpenAIException.ServerErrorType, null, "engine_error"));

        var events = Events(body);
        AssertEveryAddedItemIsDoneBeforeTheError(events);
        var output = events[^1].Data.GetProperty("response").GetProperty("output");
        Assert.Equal(("message", "completed", "Hi"), Item(output.EnumerateArray().Single()));
    }

    // Absent (or null), each is OpenAI's default: tool_choice "auto", parallel_tool_calls true.
    [Theory]
    [InlineData(""","tool_choice":"auto" """, "auto", true)]
    [InlineData(""","tool_choice":"none","parallel_tool_calls":false""", "none", false)]
    [InlineData(""","tool_choice":null,"parallel_tool_calls":null""", "auto", true)]
    [InlineData("", "auto", true)]
    public async Task WriteResponseAsync_ToolSettingsTheClientSent_AreEchoed(string sent, string toolChoice, bool parallelToolCalls)
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var request = ResponsesRequestValidator.Validate(JsonDocument.Parse($$"""{"model":"m","input":"hi"{{sent}}}""").RootElement);
        var wire = new ResponsesWire(request, ServerChosen);
        var exchange = new CompletionExchange(context, wire, "m", Guid.Empty, 9, null, IncludeUsage: true, Logprobs: false, SplitReasoning: false, MaxTokensParam: "max_output_tokens");
        var job = new ChoiceJob(0, [new ChatMessage("user", "hi")], null, ServerChosen);

        await wire.WriteResponseAsync(exchange, [new ChoiceResult(job, "answer", FinishReason.Stop, new CompletionUsage(9, 1, 0), null, "r", "w", null, false)], UsageDto.Of(9, 1, 0));

        var response = JsonDocument.Parse(body.ToArray()).RootElement;
        Assert.Equal(toolChoice, response.GetProperty("tool_choice").GetString());
        Assert.Equal(parallelToolCalls, response.GetProperty("parallel_tool_calls").GetBoolean());
    }

    // The stream a client rebuilds the response from: sequence numbers 0, 1, 2…; one output_item.done per added item
    // (same index and id), after its content_part.done; then error, then response.failed, which lists exactly those items.
    private static void AssertEveryAddedItemIsDoneBeforeTheError(List<(string Type, JsonElement Data)> events)
    {
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()));
        Assert.Equal(["error", "response.failed"], events.TakeLast(2).Select(e => e.Type));
        var added = events.Where(e => e.Type == "response.output_item.added").Select(e => ItemKey(e.Data)).ToList();
        var done = events.Where(e => e.Type == "response.output_item.done").Select(e => ItemKey(e.Data)).ToList();
        Assert.Equal(added, done);
        Assert.Equal(added.Count, events.Count(e => e.Type == "response.content_part.done"));
        var failed = events[^1].Data.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(added.Select(key => key.Id), failed.GetProperty("output").EnumerateArray().Select(item => item.GetProperty("id").GetString()));
    }

    private static (int Index, string? Id) ItemKey(JsonElement data) =>
        (data.GetProperty("output_index").GetInt32(), data.GetProperty("item").GetProperty("id").GetString());

    private static (string?, string?, string?) Item(JsonElement item) =>
        (item.GetProperty("type").GetString(), item.GetProperty("status").GetString(), item.GetProperty("content")[0].GetProperty("text").GetString());

    private static List<(string Type, JsonElement Data)> Events(MemoryStream body) =>
        [.. Encoding.UTF8.GetString(body.ToArray()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (lines[0]["event: ".Length..], JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement))];

    private static (ResponsesWire Wire, CompletionExchange Exchange, MemoryStream Body) Fitted(bool stream)
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var request = new ValidatedResponsesRequest
        {
            Request = new ValidatedRequest { Model = "m", Stream = stream, IncludeUsage = true, Sampling = new SamplingSettings() },
        };
        var wire = new ResponsesWire(request, ServerChosen);
        var exchange = new CompletionExchange(context, wire, "m", Guid.Empty, 9, null, IncludeUsage: true, Logprobs: false, SplitReasoning: false, MaxTokensParam: "max_output_tokens");
        return (wire, exchange, body);
    }
}
