namespace InferenceCluster.Gateway.Policy;

/// <summary>The parameters a key policy may range or pin (wire names).</summary>
internal static class PolicyParams
{
    public const string Temperature = "temperature";
    public const string TopP = "top_p";
    public const string TopK = "top_k";
    public const string MaxTokens = "max_tokens";
    public const string MinTokens = "min_tokens";
    public const string RepetitionPenalty = "repetition_penalty";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Temperature, TopP, TopK, MaxTokens, MinTokens, RepetitionPenalty,
    };

    public static bool IsInteger(string param) => param is TopK or MaxTokens or MinTokens;
}
