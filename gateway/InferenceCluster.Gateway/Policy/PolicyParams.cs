using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>The parameters a key policy may range or pin (wire names).</summary>
internal static class PolicyParams
{
    public const string Temperature = SamplingSettings.TemperatureParam;
    public const string TopP = SamplingSettings.TopPParam;
    public const string TopK = SamplingSettings.TopKParam;
    public const string MaxTokens = SamplingSettings.MaxTokensParam;
    public const string MinTokens = SamplingSettings.MinTokensParam;
    public const string RepetitionPenalty = SamplingSettings.RepetitionPenaltyParam;

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Temperature, TopP, TopK, MaxTokens, MinTokens, RepetitionPenalty,
    };

    public static bool IsInteger(string param) => param is TopK or MaxTokens or MinTokens;

    /// <summary>The configuration key of a parameter under <paramref name="section"/>: <c>Gateway:Defaults:TopP</c>.</summary>
    public static string SettingKey(string section, string param) => $"{section}:" + param switch
    {
        Temperature => "Temperature",
        TopP => "TopP",
        TopK => "TopK",
        MaxTokens => "MaxTokens",
        MinTokens => "MinTokens",
        RepetitionPenalty => "RepetitionPenalty",
        _ => param,
    };
}
