using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>The figures of one grid point.</summary>
public sealed record PointSummary
{
    /// <summary>The settings.</summary>
    public required GridPoint Point { get; init; }

    /// <summary>Graded answers.</summary>
    public required int Answers { get; init; }

    /// <summary>Per category; a category absent from the suite is absent here.</summary>
    public required IReadOnlyDictionary<CaseCategory, CategoryFigures> Categories { get; init; }

    /// <summary>Share of all answers that passed.</summary>
    public required double Accuracy { get; init; }

    /// <summary>
    /// Chance that a math answer and a code answer from the same repeat both pass (mean over repeats
    /// of math accuracy × code accuracy); null when the suite lacks either category.
    /// </summary>
    public required double? Both { get; init; }

    /// <summary>Mean completion tokens over all answers.</summary>
    public required double MeanTokens { get; init; }

    /// <summary>Share with finish_reason "stop".</summary>
    public required double StopRate { get; init; }

    /// <summary>Share whose output loops (see RepetitionDetector).</summary>
    public required double RepetitionRate { get; init; }

    /// <summary>Mean top-1/top-2 log-probability margin; null when the server sent no top_logprobs.</summary>
    public required double? Margin { get; init; }

    /// <summary>The most common failure class, or "-" when nothing failed.</summary>
    public required string MainProblem { get; init; }
}
