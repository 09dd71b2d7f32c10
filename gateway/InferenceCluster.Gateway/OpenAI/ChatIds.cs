using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Wire spellings of identifiers and enum values.</summary>
internal static class ChatIds
{
    public static string CompletionId(Guid requestId) => "chatcmpl-" + requestId.ToString("N");

    public static string TextCompletionId(Guid requestId) => "cmpl-" + requestId.ToString("N");

    public static string FinishReason(FinishReason reason) => reason switch
    {
        Contracts.FinishReason.Length => "length",

        // A cancelled request has no client left to read this; "stop" keeps the value inside OpenAI's set.
        _ => "stop",
    };
}
