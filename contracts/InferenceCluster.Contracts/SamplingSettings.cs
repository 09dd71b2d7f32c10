using System.Globalization;
using System.Text.Json.Serialization;

namespace InferenceCluster.Contracts;

/// <summary>
/// Sampling settings, each one optional: what a request sets (the OpenAI request bodies derive from this
/// record, so the wire names are these), what a profile sets and the server's defaults. The gateway merges
/// them into one <see cref="GenerationConfig"/>. The record also knows the allowed values of each setting, by wire
/// name, and how a violation is worded: the gateway's request validation, its options validation and the worker's
/// admission check all read them from here.
/// </summary>
public record SamplingSettings
{
    /// <summary>The wire name of <see cref="Temperature"/>.</summary>
    public const string TemperatureParam = "temperature";

    /// <summary>The wire name of <see cref="TopP"/>.</summary>
    public const string TopPParam = "top_p";

    /// <summary>The wire name of <see cref="TopK"/>.</summary>
    public const string TopKParam = "top_k";

    /// <summary>The wire name of <see cref="MaxTokens"/>.</summary>
    public const string MaxTokensParam = "max_tokens";

    /// <summary>The wire name of <see cref="MinTokens"/>.</summary>
    public const string MinTokensParam = "min_tokens";

    /// <summary>The wire name of <see cref="RepetitionPenalty"/>.</summary>
    public const string RepetitionPenaltyParam = "repetition_penalty";

    /// <summary>The wire name <c>top_logprobs</c>: a request sets it beside these settings, under the same kind of rule.</summary>
    public const string TopLogprobsParam = "top_logprobs";

    /// <summary>Most alternatives per position a request may ask for.</summary>
    public const int MaxTopLogprobs = 20;

    /// <summary>Most bytes (UTF-8) a request's stop strings may hold together: GenAI's engine takes no more.</summary>
    public const int MaxStopBytes = 16 * 1024;

    /// <summary>The bytes (UTF-8) <paramref name="stops"/> hold together, which <see cref="MaxStopBytes"/> bounds.</summary>
    public static int StopBytes(IEnumerable<string> stops) => stops.Sum(System.Text.Encoding.UTF8.GetByteCount);

    /// <summary>
    /// Sample (true) or decode greedily (false) when the temperature comes from the server's defaults; a
    /// temperature set by the request, a profile or a key's pin asks for sampling. Not a request member.
    /// </summary>
    [JsonIgnore]
    public bool? DoSample { get; init; }

    /// <summary>Softmax temperature, 0 to 2; 0 decodes greedily.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling mass, (0, 1].</summary>
    public double? TopP { get; init; }

    /// <summary>Keep only the k most likely tokens; 0 means no limit.</summary>
    public int? TopK { get; init; }

    /// <summary>Most tokens to generate.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Fewest tokens to generate before an end-of-sequence token may end the turn.</summary>
    public int? MinTokens { get; init; }

    /// <summary>Multiplicative penalty on tokens already present, 1E-30 to 2; 1 means none.</summary>
    public double? RepetitionPenalty { get; init; }

    /// <summary>Random seed of a sampled request; null means a fresh random stream.</summary>
    public long? Seed { get; init; }

    // The engine samples in single precision: a positive value below about 7E-46 becomes 0 there, which would
    // contradict the rule it passed here (a sampled turn at temperature 0, a top_p of 0). The boundary is the round
    // value the message states, just below single precision's smallest positive number (about 1.4E-45).
    private const double SmallestPositive = 1E-45;
    private const string SinglePrecisionReason = " (the engine computes in single precision, whose smallest positive number is about 1.4E-45)";

    // The engine divides a repeated token's positive score by the penalty in single precision, whose largest number is
    // about 3.4E38: a score s overflows to infinity below a penalty of s / 3.4E38 (a sampled turn then draws from
    // NaNs). At 1E-30 every score up to 3.4E8 stays finite, far beyond what a model's logits reach (half precision
    // ends at 65504).
    private const double SmallestPenalty = 1E-30;
    private const string PenaltyReason = " (the engine divides scores by it in single precision, where a smaller penalty can make them infinite)";

    /// <summary>The rule <paramref name="value"/> breaks, as a phrase ("must be between 0 and 2"), or null when it is allowed.</summary>
    /// <param name="param">The wire name of the setting (<see cref="TemperatureParam"/>, …).</param>
    /// <param name="value">The value to check.</param>
    public static string? Violation(string param, double value) => param switch
    {
        TemperatureParam => double.IsNaN(value) || value is < 0 or > 2 ? "must be between 0 and 2"
            : value is > 0 and < SmallestPositive ? $"must be 0 or at least {SmallestPositive.ToString(CultureInfo.InvariantCulture)}{SinglePrecisionReason}" : null,
        TopPParam => double.IsNaN(value) || value is <= 0 or > 1 ? "must be greater than 0 and at most 1"
            : value < SmallestPositive ? $"must be at least {SmallestPositive.ToString(CultureInfo.InvariantCulture)}{SinglePrecisionReason}" : null,
        TopKParam => value < 0 ? "must be 0 (no limit) or positive" : null,
        MaxTokensParam => value < 1 ? "must be at least 1" : null,
        MinTokensParam => value < 0 ? "must be 0 or positive" : null,
        RepetitionPenaltyParam => double.IsNaN(value) || value is <= 0 or > 2 ? "must be greater than 0 and at most 2"
            : value < SmallestPenalty ? $"must be at least {SmallestPenalty.ToString(CultureInfo.InvariantCulture)}{PenaltyReason}" : null,
        TopLogprobsParam => value is < 0 or > MaxTopLogprobs ? $"must be between 0 and {MaxTopLogprobs}" : null,
        _ => throw new ArgumentOutOfRangeException(nameof(param), param, "Not a sampling parameter."),
    };

    /// <summary>"{subject} {violation}; got {value}." when <paramref name="value"/> breaks the rule of <paramref name="param"/>, else null.</summary>
    public static string? Check(string param, double? value, string subject) =>
        value is { } actual && Violation(param, actual) is { } violation
            ? string.Create(CultureInfo.InvariantCulture, $"{subject} {violation}; got {actual}.")
            : null;

    /// <summary>The value of the setting whose wire name is <paramref name="param"/> (<see cref="TemperatureParam"/>, …); null when unset.</summary>
    public double? Value(string param) => param switch
    {
        TemperatureParam => Temperature,
        TopPParam => TopP,
        TopKParam => TopK,
        MaxTokensParam => MaxTokens,
        MinTokensParam => MinTokens,
        RepetitionPenaltyParam => RepetitionPenalty,
        _ => throw new ArgumentOutOfRangeException(nameof(param), param, "Not a sampling setting."),
    };

    /// <summary>
    /// Every rule these settings break, worded with <paramref name="subject"/> (a setting's key for each wire name): each
    /// value's range, and a <see cref="MinTokens"/> above the <see cref="MaxTokens"/> set beside it.
    /// </summary>
    public IEnumerable<string> Violations(Func<string, string> subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        string[] settings = [TemperatureParam, TopPParam, TopKParam, MaxTokensParam, MinTokensParam, RepetitionPenaltyParam];
        foreach (var param in settings)
        {
            if (Check(param, Value(param), subject(param)) is { } message)
            {
                yield return message;
            }
        }

        // Server settings only: a request's floor above its ceiling is refused where the request is read, naming it.
        if (MinTokens > MaxTokens)
        {
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"{subject(MinTokensParam)} ({MinTokens}) must not exceed {subject(MaxTokensParam)} ({MaxTokens}): every request would have its floor lowered.");
        }
    }
}
