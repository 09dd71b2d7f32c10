namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>The <c>text</c> settings of a response: the output format applied.</summary>
internal sealed record ResponseTextDto(ResponseTextFormat Format);
