using System.Globalization;

namespace InferenceCluster.Sweep.Grid;

/// <summary>One combination of sampling settings that every suite case is sent with.</summary>
public sealed record GridPoint(double Temperature, double TopP, int MaxTokens, double RepetitionPenalty, int? TopK)
{
    /// <summary>
    /// Canonical text of the settings. Values are rounded so that 0.30000000000000004 and 0.3 are the
    /// same point; it identifies a point in answers.csv and feeds seed derivation.
    /// </summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"t={Temperature:0.####};p={TopP:0.####};max={MaxTokens};rp={RepetitionPenalty:0.####};k={(TopK?.ToString(CultureInfo.InvariantCulture) ?? "-")}");

    /// <summary>Short human form for error messages and the console.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"temperature={Temperature:0.###} top_p={TopP:0.###} max_tokens={MaxTokens} repetition_penalty={RepetitionPenalty:0.0##}{(TopK is { } k ? $" top_k={k}" : "")}");
}
