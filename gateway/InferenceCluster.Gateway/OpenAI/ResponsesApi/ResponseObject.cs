namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// The <c>response</c> object of <c>POST /v1/responses</c>, whole or inside stream events. Settings are echoed
/// as they were applied (after defaults and policy); the tool settings as the client sent them (OpenAI's defaults
/// when absent), though no tools run; the fields of stored responses hold their "none" values.
/// </summary>
internal sealed record ResponseObject(
    string Id,
    string Object,
    long CreatedAt,
    string Status,
    ResponseErrorDto? Error,
    ResponseIncompleteDetails? IncompleteDetails,
    string? Instructions,
    int? MaxOutputTokens,
    string Model,
    IReadOnlyList<ResponseOutputItem> Output,
    bool ParallelToolCalls,
    string? PreviousResponseId,
    bool Store,
    double Temperature,
    double TopP,
    ResponseTextDto Text,
    string ToolChoice,
    IReadOnlyList<string> Tools,
    string Truncation,
    ResponseUsage? Usage,
    string? User,
    string? SafetyIdentifier,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>
    /// Always null, OpenAI's value for its standard access program (the only one here); the SDKs' types require the member.
    /// </summary>
    public string? AccessPrograms => null;
}
