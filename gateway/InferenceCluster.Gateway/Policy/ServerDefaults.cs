using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The server's sampling defaults (<c>Gateway:Defaults</c>): the last source of each value that neither the request
/// nor a profile sets, with a built-in value for each one not configured.
/// </summary>
internal static class ServerDefaults
{
    /// <summary>What the server uses for a value that neither the request, a profile nor <c>Gateway:Defaults</c> sets.</summary>
    public static SamplingSettings BuiltIn { get; } = new()
    {
        DoSample = true,
        Temperature = 0.55,
        TopP = 0.95,
        TopK = 0,
        MaxTokens = 1024,
        MinTokens = 0,
        RepetitionPenalty = 1.02,
    };

    /// <summary>The server's defaults as configured, with the built-in value for each one not configured.</summary>
    public static SamplingSettings WithBuiltIn(SamplingSettings configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return new SamplingSettings
        {
            DoSample = configured.DoSample ?? BuiltIn.DoSample,
            Temperature = configured.Temperature ?? BuiltIn.Temperature,
            TopP = configured.TopP ?? BuiltIn.TopP,
            TopK = configured.TopK ?? BuiltIn.TopK,
            MaxTokens = configured.MaxTokens ?? BuiltIn.MaxTokens,
            MinTokens = configured.MinTokens ?? BuiltIn.MinTokens,
            RepetitionPenalty = configured.RepetitionPenalty ?? BuiltIn.RepetitionPenalty,
            Seed = configured.Seed,
        };
    }
}
