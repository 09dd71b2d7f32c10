using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;

namespace InferenceCluster.Gateway.Responses;

/// <summary>The response shapes of one OpenAI operation: the whole JSON answer and the events of a stream.</summary>
internal interface ICompletionWire
{
    /// <summary>The response's <c>id</c> for the request's id (the same on every chunk of a stream).</summary>
    string ResponseId(Guid requestId);

    Task WriteResponseAsync(CompletionExchange exchange, IReadOnlyList<ChoiceResult> choices, UsageDto usage);

    /// <summary>The events that open a stream before any text (the chat role of each choice).</summary>
    Task WriteStartAsync(CompletionExchange exchange, IReadOnlyList<int> indices);

    Task WriteTextAsync(CompletionExchange exchange, int index, ReasoningPiece text, IReadOnlyList<TokenLogprob>? logprobs);

    Task WriteFinishAsync(CompletionExchange exchange, int index, FinishReason finishReason);

    /// <summary>The last event when the client asked for usage: no choices, only usage.</summary>
    Task WriteUsageAsync(CompletionExchange exchange, UsageDto usage);
}
