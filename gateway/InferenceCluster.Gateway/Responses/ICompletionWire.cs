using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Responses;

/// <summary>The response shapes of one OpenAI operation: the whole JSON answer and the events of a stream.</summary>
internal interface ICompletionWire
{
    /// <summary>The operation's name in OpenTelemetry's GenAI conventions (<c>chat</c>, <c>text_completion</c>).</summary>
    string OperationName { get; }

    /// <summary>The response's <c>id</c> for the request's id (the same on every chunk of a stream).</summary>
    string ResponseId(Guid requestId);

    /// <summary>This operation's name for a request parameter that chat names <paramref name="param"/> (workers speak chat's names).</summary>
    string ClientParam(string param) => param;

    Task WriteResponseAsync(CompletionExchange exchange, IReadOnlyList<ChoiceResult> choices, UsageDto usage);

    /// <summary>The events that open a stream before any text (the chat role of each choice).</summary>
    Task WriteStartAsync(CompletionExchange exchange, IReadOnlyList<int> indices);

    Task WriteTextAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs);

    /// <summary>A choice's end; <paramref name="appliedMaxTokens"/> is the limit its worker ran with (null when not reported).</summary>
    Task WriteFinishAsync(CompletionExchange exchange, int index, FinishReason finishReason, int? appliedMaxTokens);

    /// <summary>The last event when the client asked for usage: no choices, only usage.</summary>
    Task WriteUsageAsync(CompletionExchange exchange, UsageDto usage);

    /// <summary>What closes a stream after its last event: <c>data: [DONE]</c>, unless the format ends on an event of its own.</summary>
    Task WriteEndAsync(CompletionExchange exchange) => SseWriter.WriteDoneAsync(exchange.Http.Response, exchange.Aborted);

    /// <summary>A failure after the stream started, as the format's error event(s), ending the stream.</summary>
    Task WriteStreamErrorAsync(CompletionExchange exchange, OpenAIException error) =>
        SseWriter.WriteErrorAsync(exchange.Http.Response, error, exchange.Aborted);
}
