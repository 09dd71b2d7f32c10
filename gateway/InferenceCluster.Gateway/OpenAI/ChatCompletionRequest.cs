using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c> exactly as the client sent it. Nothing here is trusted:
/// <see cref="RequestValidator.Chat"/> turns it into a <see cref="ValidatedRequest"/>. Parameters the
/// gateway does not implement are declared (or caught by <see cref="SamplingWireRequest.AdditionalProperties"/>)
/// so that they can be rejected by name instead of being ignored.
/// </summary>
internal sealed record ChatCompletionRequest : SamplingWireRequest
{
    public List<ChatMessageDto?>? Messages { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public bool? Logprobs { get; set; }

    public int? TopLogprobs { get; set; }

    public JsonElement? ResponseFormat { get; set; }

    /// <summary>Only <c>false</c> (or absent) is accepted: chat completions are not stored here.</summary>
    public bool? Store { get; set; }

    /// <summary>
    /// Accepted (strings only) so that SDK calls carrying it work; like OpenAI's with <c>store</c> false, it is
    /// attached to nothing and cannot change the output.
    /// </summary>
    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>Empty or absent (<see cref="ToolsRule"/>): no tools run here.</summary>
    public JsonElement? Tools { get; set; }

    /// <summary><c>"none"</c>, <c>"auto"</c> or absent (<see cref="ToolsRule"/>).</summary>
    public JsonElement? ToolChoice { get; set; }

    /// <summary>Either value is honoured: with no tools there is no call to run in parallel or not.</summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>Only an empty object (<see cref="LogitBiasRule"/>): no token's score can be biased here.</summary>
    public JsonElement? LogitBias { get; set; }

    /// <summary>Only <c>["text"]</c> (<see cref="ModalitiesRule"/>): text is all the models here write.</summary>
    public JsonElement? Modalities { get; set; }

    /// <summary>Refused whatever its value (<see cref="VerbosityRule"/>).</summary>
    public JsonElement? Verbosity { get; set; }

    /// <summary>Refused whatever its value: R1's reasoning cannot be tuned (as <c>reasoning.effort</c> on <c>/v1/responses</c>).</summary>
    public JsonElement? ReasoningEffort { get; set; }
}
