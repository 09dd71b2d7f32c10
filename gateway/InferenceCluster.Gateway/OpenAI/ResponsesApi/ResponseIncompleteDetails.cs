namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>Why a response is <c>incomplete</c>: <c>max_output_tokens</c> when the token limit cut it.</summary>
internal sealed record ResponseIncompleteDetails(string Reason);
