namespace InferenceCluster.Inference;

/// <summary>
/// A request the model cannot honour, raised before any work: a prompt that does not fit the
/// context, or a setting the chosen path cannot apply. <see cref="Param"/> names the setting.
/// </summary>
public sealed class GenerationRejectedException(string code, string? param, string message)
    : Exception(message)
{
    /// <summary><c>context_length_exceeded</c> or <c>invalid_config</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The request parameter at fault (OpenAI name, e.g. <c>seed</c>, <c>stop</c>), when one is.</summary>
    public string? Param { get; } = param;
}
