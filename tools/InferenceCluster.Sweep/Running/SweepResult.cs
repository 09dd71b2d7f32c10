using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Reporting;

namespace InferenceCluster.Sweep.Running;

/// <summary>What a finished sweep produced.</summary>
public sealed record SweepResult
{
    /// <summary>Figures per grid point, in grid order.</summary>
    public required IReadOnlyList<PointSummary> Summaries { get; init; }

    /// <summary>The recommended settings, best first.</summary>
    public required RecommendedBand Band { get; init; }

    /// <summary>Requests sent in this run.</summary>
    public required int Sent { get; init; }

    /// <summary>Answers taken from an earlier run's answers.csv.</summary>
    public required int Resumed { get; init; }

    /// <summary>How code answers were isolated from the network.</summary>
    public required SandboxMode Sandbox { get; init; }

    /// <summary>report.md.</summary>
    public required string ReportPath { get; init; }

    /// <summary>answers.csv.</summary>
    public required string AnswersPath { get; init; }

    /// <summary>chart.svg.</summary>
    public required string ChartPath { get; init; }
}
