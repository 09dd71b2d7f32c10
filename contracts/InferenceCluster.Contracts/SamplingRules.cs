using System.Globalization;

namespace InferenceCluster.Contracts;

/// <summary>
/// The allowed values of each sampling parameter, by wire name, and how a violation is worded. The gateway's
/// request validation, its options validation and the worker's admission check all read them from here.
/// </summary>
public static class SamplingRules
{
    /// <summary>The wire name <c>temperature</c>.</summary>
    public const string Temperature = "temperature";

    /// <summary>The wire name <c>top_p</c>.</summary>
    public const string TopP = "top_p";

    /// <summary>The wire name <c>top_k</c>.</summary>
    public const string TopK = "top_k";

    /// <summary>The wire name <c>max_tokens</c>.</summary>
    public const string MaxTokens = "max_tokens";

    /// <summary>The wire name <c>min_tokens</c>.</summary>
    public const string MinTokens = "min_tokens";

    /// <summary>The wire name <c>repetition_penalty</c>.</summary>
    public const string RepetitionPenalty = "repetition_penalty";

    /// <summary>The wire name <c>top_logprobs</c>.</summary>
    public const string TopLogprobs = "top_logprobs";

    /// <summary>Most alternatives per position a request may ask for.</summary>
    public const int MaxTopLogprobs = 20;

    // The engine samples in single precision: a positive value below about 7E-46 becomes 0 there, which would
    // contradict the rule it passed here (a sampled turn at temperature 0, a top_p of 0).
    private const string SmallestPositive = "1E-45";
    private const string SinglePrecisionReason = " (the engine computes in single precision, where a smaller value is 0)";

    /// <summary>The rule <paramref name="value"/> breaks, as a phrase ("must be between 0 and 2"), or null when it is allowed.</summary>
    public static string? Violation(string rule, double value) => rule switch
    {
        Temperature => double.IsNaN(value) || value is < 0 or > 2 ? "must be between 0 and 2"
            : VanishesInSinglePrecision(value) ? $"must be 0 or at least {SmallestPositive}{SinglePrecisionReason}" : null,
        TopP => double.IsNaN(value) || value is <= 0 or > 1 ? "must be greater than 0 and at most 1"
            : VanishesInSinglePrecision(value) ? $"must be at least {SmallestPositive}{SinglePrecisionReason}" : null,
        TopK => value < 0 ? "must be 0 (no limit) or positive" : null,
        MaxTokens => value < 1 ? "must be at least 1" : null,
        MinTokens => value < 0 ? "must be 0 or positive" : null,
        RepetitionPenalty => double.IsNaN(value) || value is <= 0 or > 2 ? "must be greater than 0 and at most 2"
            : VanishesInSinglePrecision(value) ? $"must be at least {SmallestPositive}{SinglePrecisionReason}" : null,
        TopLogprobs => value is < 0 or > MaxTopLogprobs ? $"must be between 0 and {MaxTopLogprobs}" : null,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Not a sampling parameter."),
    };

    private static bool VanishesInSinglePrecision(double value) => value > 0 && (float)value == 0;

    /// <summary>"{subject} {violation}; got {value}." when <paramref name="value"/> breaks <paramref name="rule"/>, else null.</summary>
    public static string? Check(string rule, double? value, string subject) =>
        value is { } actual && Violation(rule, actual) is { } violation
            ? string.Create(CultureInfo.InvariantCulture, $"{subject} {violation}; got {actual}.")
            : null;

    /// <summary>Every rule <paramref name="settings"/> breaks, worded with <paramref name="subject"/> (a setting's key for each wire name).</summary>
    public static IEnumerable<string> Violations(SamplingSettings settings, Func<string, string> subject)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(subject);
        (string Rule, double? Value)[] values =
        [
            (Temperature, settings.Temperature),
            (TopP, settings.TopP),
            (TopK, settings.TopK),
            (MaxTokens, settings.MaxTokens),
            (MinTokens, settings.MinTokens),
            (RepetitionPenalty, settings.RepetitionPenalty),
        ];
        foreach (var (rule, value) in values)
        {
            if (Check(rule, value, subject(rule)) is { } message)
            {
                yield return message;
            }
        }
    }
}
