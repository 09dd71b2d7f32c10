using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>One graded answer: a row of answers.csv.</summary>
internal sealed record AnswerRecord
{
    /// <summary>The settings it was generated with.</summary>
    public required GridPoint Point { get; init; }

    /// <summary>Suite case id.</summary>
    public required string CaseId { get; init; }

    /// <summary>Suite case category.</summary>
    public required CaseCategory Category { get; init; }

    /// <summary>0-based repeat index.</summary>
    public required int Repeat { get; init; }

    /// <summary>The seed sent.</summary>
    public required long Seed { get; init; }

    /// <summary>The grader's verdict.</summary>
    public required bool Passed { get; init; }

    /// <summary>Failure class, empty on a pass.</summary>
    public required string Problem { get; init; }

    /// <summary>The grader's full reason.</summary>
    public required string Reason { get; init; }

    /// <summary>usage.completion_tokens.</summary>
    public required int CompletionTokens { get; init; }

    /// <summary>The server's finish_reason.</summary>
    public required string FinishReason { get; init; }

    /// <summary>True when the whole output (reasoning included) loops.</summary>
    public required bool Repetition { get; init; }

    /// <summary>Mean top-1 minus top-2 log-probability, null without logprobs.</summary>
    public required double? Margin { get; init; }

    /// <summary>The graded answer text (reasoning removed).</summary>
    public required string Answer { get; init; }
}
