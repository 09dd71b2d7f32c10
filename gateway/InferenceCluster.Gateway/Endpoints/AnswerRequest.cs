using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.Responses;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// A validated request ready to answer: its generations, and how the answer is shaped. <see cref="Profile"/>
/// (the named profile its settings came from) only labels its stability measurements.
/// </summary>
internal sealed record AnswerRequest(
    HttpContext Http,
    ICompletionWire Wire,
    string Model,
    IReadOnlyList<ChoiceJob> Jobs,
    bool Stream,
    bool IncludeUsage,
    bool Logprobs,
    bool SplitReasoning,
    string? Profile = null);
