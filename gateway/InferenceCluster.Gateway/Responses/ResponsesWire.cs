using System.Text;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// The Responses API over the same dispatch as chat: a <c>response</c> object, or its stream of typed events.
/// A stream opens with <c>response.created</c> and <c>response.in_progress</c>; the reasoning, then the
/// message, each open with <c>response.output_item.added</c> and <c>response.content_part.added</c> (SDKs
/// rebuild the response from these and fail on a delta for a part never added), grow by deltas and close
/// with their <c>.done</c> events; <c>response.completed</c> (or <c>response.incomplete</c>) ends it, without
/// <c>[DONE]</c>. One instance per request: it keeps the stream's sequence numbers and open items. A reasoning item
/// carries its text sealed by <paramref name="seal"/> when the request's <c>include</c> asks for it.
/// </summary>
internal sealed class ResponsesWire(ValidatedResponsesRequest request, GenerationConfig config, ReasoningSeal? seal = null) : ICompletionWire
{
    private const int ContentIndex = 0;

    private readonly List<ResponseOutputItem> _output = [];

    // A conversation turn, as its span names it: GenAI's conventions have no separate name for this API.
    public string OperationName => "chat";
    private readonly StringBuilder _reasoning = new();
    private readonly StringBuilder _message = new();
    private int _sequence;
    private int? _reasoningIndex;
    private int? _messageIndex;
    private bool _reasoningOpen;
    private bool _messageClosed;
    private FinishReason _finishReason;
    private int? _appliedMaxTokens;

    public string ResponseId(Guid requestId) => "resp_" + requestId.ToString("N");

    /// <summary>The conversation is <c>input</c> here and guided decoding <c>text.format</c>.</summary>
    public string ClientParam(string param) => param switch
    {
        "messages" => "input",
        "response_format" => "text.format",
        _ => param,
    };

    public Task WriteResponseAsync(CompletionExchange exchange, IReadOnlyList<ChoiceResult> choices, UsageDto usage)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(choices);
        var choice = choices[0];
        var text = exchange.SplitReasoning ? ReasoningSplitter.SplitAll(choice.Text) : new ReasoningPiece(string.Empty, choice.Text);
        var last = ItemStatus(choice.FinishReason);
        var output = new List<ResponseOutputItem>();
        if (text.Reasoning.Length > 0)
        {
            var closedBeforeTheEnd = text.Content.Length > 0;
            output.Add(ResponseOutputItem.Reasoning(
                ReasoningId(exchange), closedBeforeTheEnd ? "completed" : last, [ResponseContentPart.ReasoningText(text.Reasoning)], Sealed(text.Reasoning)));
        }

        // An answer that is all reasoning has no message, as OpenAI's do; anything else has one, even empty.
        if (text.Content.Length > 0 || text.Reasoning.Length == 0)
        {
            output.Add(ResponseOutputItem.Message(MessageId(exchange), last, [ResponseContentPart.OutputText(text.Content)]));
        }

        return exchange.Http.Response.WriteAsJsonAsync(
            Response(exchange, output, choice.FinishReason, ResponseUsage.From(usage), choice.MaxTokens), ResponsesJsonContext.Wire.ResponseObject, "application/json", exchange.Aborted);
    }

    public async Task WriteStartAsync(CompletionExchange exchange, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var response = Response(exchange, [], null, null) with { Status = "in_progress" };
        await EmitAsync(exchange, new ResponseStreamEvent("response.created", 0) { Response = response }).ConfigureAwait(false);
        await EmitAsync(exchange, new ResponseStreamEvent("response.in_progress", 0) { Response = response }).ConfigureAwait(false);
    }

    public async Task WriteTextAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (text.Reasoning.Length > 0)
        {
            if (_reasoningIndex is null)
            {
                _reasoningIndex = _output.Count;
                _reasoningOpen = true;
                await EmitAsync(exchange, new ResponseStreamEvent("response.output_item.added", 0)
                {
                    OutputIndex = _reasoningIndex,
                    Item = ResponseOutputItem.Reasoning(ReasoningId(exchange), "in_progress", []),
                }).ConfigureAwait(false);
                await EmitAsync(exchange, TextEvent("response.content_part.added", ReasoningId(exchange), _reasoningIndex.Value) with
                {
                    Part = ResponseContentPart.ReasoningText(string.Empty),
                }).ConfigureAwait(false);
            }

            _reasoning.Append(text.Reasoning);
            await EmitAsync(exchange, TextEvent("response.reasoning_text.delta", ReasoningId(exchange), _reasoningIndex.Value) with { Delta = text.Reasoning })
                .ConfigureAwait(false);
        }

        if (text.Content.Length > 0)
        {
            await CloseReasoningAsync(exchange, "completed").ConfigureAwait(false);
            await OpenMessageAsync(exchange).ConfigureAwait(false);
            _message.Append(text.Content);
            await EmitAsync(exchange, TextEvent("response.output_text.delta", MessageId(exchange), _messageIndex!.Value) with { Delta = text.Content, Logprobs = [] })
                .ConfigureAwait(false);
        }
    }

    public async Task WriteFinishAsync(CompletionExchange exchange, int index, FinishReason finishReason, int? appliedMaxTokens)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        _finishReason = finishReason;
        _appliedMaxTokens = appliedMaxTokens;
        var status = ItemStatus(finishReason);
        await CloseReasoningAsync(exchange, status).ConfigureAwait(false);
        if (_reasoningIndex is not null && _messageIndex is null)
        {
            return;
        }

        await OpenMessageAsync(exchange).ConfigureAwait(false);
        await CloseMessageAsync(exchange, status).ConfigureAwait(false);
    }

    public Task WriteUsageAsync(CompletionExchange exchange, UsageDto usage)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var response = Response(exchange, _output, _finishReason, ResponseUsage.From(usage), _appliedMaxTokens);
        return EmitAsync(exchange, new ResponseStreamEvent($"response.{response.Status}", 0) { Response = response });
    }

    /// <summary>The terminal response event ends the stream; Responses clients expect no <c>[DONE]</c>.</summary>
    public Task WriteEndAsync(CompletionExchange exchange) => Task.CompletedTask;

    public async Task WriteStreamErrorAsync(CompletionExchange exchange, OpenAIException error)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(error);

        // Every item the client was told of (output_item.added) is closed with its usual .done events, "incomplete" with
        // the text sent so far, before the error: SDKs that rebuild the response from the events find each item they
        // were given, and response.failed's output lists the same items.
        await CloseReasoningAsync(exchange, "incomplete").ConfigureAwait(false);
        await CloseMessageAsync(exchange, "incomplete").ConfigureAwait(false);
        // The SDKs build their error from the nested object: its code is the flat one (an error without a code has its type).
        var code = error.Code ?? error.Type;
        await ResponseEventWriter.WriteAsync(exchange, new ResponseErrorEvent(_sequence++, code, error.Message, error.Param, error.ToResponse().Error with { Code = code }))
            .ConfigureAwait(false);

        // The response's error code is one of a fixed set that SDKs parse into an enumeration; the precise code went in the event above.
        var failed = Response(exchange, _output, null, null) with
        {
            Status = "failed",
            Error = new ResponseErrorDto(error.StatusCode >= 500 ? "server_error" : "invalid_prompt", error.Message),
        };
        await EmitAsync(exchange, new ResponseStreamEvent("response.failed", 0) { Response = failed }).ConfigureAwait(false);
    }

    private async Task OpenMessageAsync(CompletionExchange exchange)
    {
        if (_messageIndex is not null)
        {
            return;
        }

        _messageIndex = _output.Count;
        var id = MessageId(exchange);
        await EmitAsync(exchange, new ResponseStreamEvent("response.output_item.added", 0)
        {
            OutputIndex = _messageIndex,
            Item = ResponseOutputItem.Message(id, "in_progress", []),
        }).ConfigureAwait(false);
        await EmitAsync(exchange, TextEvent("response.content_part.added", id, _messageIndex.Value) with { Part = ResponseContentPart.OutputText(string.Empty) })
            .ConfigureAwait(false);
    }

    private async Task CloseMessageAsync(CompletionExchange exchange, string status)
    {
        if (_messageIndex is not { } at || _messageClosed)
        {
            return;
        }

        _messageClosed = true;
        var id = MessageId(exchange);
        var part = ResponseContentPart.OutputText(_message.ToString());
        await EmitAsync(exchange, TextEvent("response.output_text.done", id, at) with { Text = part.Text, Logprobs = [] }).ConfigureAwait(false);
        await EmitAsync(exchange, TextEvent("response.content_part.done", id, at) with { Part = part }).ConfigureAwait(false);
        var item = ResponseOutputItem.Message(id, status, [part]);
        _output.Add(item);
        await EmitAsync(exchange, new ResponseStreamEvent("response.output_item.done", 0) { OutputIndex = at, Item = item }).ConfigureAwait(false);
    }

    private async Task CloseReasoningAsync(CompletionExchange exchange, string status)
    {
        if (!_reasoningOpen)
        {
            return;
        }

        _reasoningOpen = false;
        var id = ReasoningId(exchange);
        var at = _reasoningIndex!.Value;
        var text = _reasoning.ToString();
        var part = ResponseContentPart.ReasoningText(text);
        await EmitAsync(exchange, TextEvent("response.reasoning_text.done", id, at) with { Text = text }).ConfigureAwait(false);
        await EmitAsync(exchange, TextEvent("response.content_part.done", id, at) with { Part = part }).ConfigureAwait(false);
        var item = ResponseOutputItem.Reasoning(id, status, [part], Sealed(text));
        _output.Add(item);
        await EmitAsync(exchange, new ResponseStreamEvent("response.output_item.done", 0) { OutputIndex = at, Item = item }).ConfigureAwait(false);
    }

    private static ResponseStreamEvent TextEvent(string type, string itemId, int outputIndex) =>
        new(type, 0) { ItemId = itemId, OutputIndex = outputIndex, ContentIndex = ContentIndex };

    private Task EmitAsync(CompletionExchange exchange, ResponseStreamEvent streamEvent) =>
        ResponseEventWriter.WriteAsync(exchange, streamEvent with { SequenceNumber = _sequence++ });

    // appliedMaxTokens: the limit the worker ran with, from its final message, echoed for a limit the server chose (fitted
    // to the context); null until the worker answered, and from a worker or cache entry that does not say.
    private ResponseObject Response(
        CompletionExchange exchange, IReadOnlyList<ResponseOutputItem> output, FinishReason? finishReason, ResponseUsage? usage, int? appliedMaxTokens = null)
    {
        var incomplete = finishReason == FinishReason.Length;
        return new ResponseObject(
            exchange.ResponseId,
            "response",
            exchange.Created,
            incomplete ? "incomplete" : "completed",
            Error: null,
            incomplete ? new ResponseIncompleteDetails("max_output_tokens") : null,
            request.Instructions,

            // A limit the server chose was fitted to the context by the worker: echo the one it applied, once known.
            config.FitMaxTokensToContext ? appliedMaxTokens : config.MaxTokens,
            exchange.Model,
            [.. output],
            request.ParallelToolCalls,
            PreviousResponseId: null,
            Store: false,
            config.DoSample ? config.Temperature : 0,
            config.TopP,
            new ResponseTextDto(request.TextFormat),
            request.ToolChoice,
            Tools: [],
            Truncation: "disabled",
            usage,
            request.Request.User,
            request.Request.SafetyIdentifier,
            request.Metadata);
    }

    /// <summary>The reasoning's sealed text when the request included it, else null (the item then has no <c>encrypted_content</c>).</summary>
    private string? Sealed(string reasoning) => request.IncludeEncryptedReasoning && seal is not null ? seal.Seal(reasoning) : null;

    private static string ItemStatus(FinishReason finishReason) => finishReason == FinishReason.Length ? "incomplete" : "completed";

    private static string ReasoningId(CompletionExchange exchange) => "rs_" + exchange.Id.ToString("N");

    private static string MessageId(CompletionExchange exchange) => "msg_" + exchange.Id.ToString("N");
}
