using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>The parameters a key policy may range or pin (wire names).</summary>
internal static class PolicyParams
{
    public const string Temperature = SamplingRules.Temperature;
    public const string TopP = SamplingRules.TopP;
    public const string TopK = SamplingRules.TopK;
    public const string MaxTokens = SamplingRules.MaxTokens;
    public const string MinTokens = SamplingRules.MinTokens;
    public const string RepetitionPenalty = SamplingRules.RepetitionPenalty;

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
