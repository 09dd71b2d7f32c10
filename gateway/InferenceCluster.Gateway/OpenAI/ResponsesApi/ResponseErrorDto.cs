namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>The <c>error</c> of a failed response.</summary>
internal sealed record ResponseErrorDto(string Code, string Message);
