namespace InferenceCluster.Gateway.Endpoints;

/// <summary>The OpenAI operations the worker pool answers; they differ only in how a request is read and answered.</summary>
internal enum CompletionOperation
{
    /// <summary><c>POST /v1/chat/completions</c>.</summary>
    Chat,

    /// <summary><c>POST /v1/completions</c>: raw prompts, no chat template.</summary>
    TextCompletion,

    /// <summary><c>POST /v1/responses</c>: a chat request with one choice, answered in the Responses API's shape.</summary>
    Responses,
}
