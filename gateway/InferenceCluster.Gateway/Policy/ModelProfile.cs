namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The profile convention: <c>model:profile</c> (e.g. <c>deepseek-r1-test-tiny:math</c>). A suffix passes
/// through unmodified OpenAI SDKs, which a new body field or header would not. Routing uses the base id.
/// </summary>
internal static class ModelProfile
{
    public const char Separator = ':';

    public static (string Model, string? Profile) Split(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var index = model.LastIndexOf(Separator);
        return index < 0 ? (model, null) : (model[..index], model[(index + 1)..]);
    }
}
