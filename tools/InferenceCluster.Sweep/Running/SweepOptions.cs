using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Grid;

namespace InferenceCluster.Sweep.Running;

/// <summary>Everything one sweep needs; the command line fills it, tests build it directly.</summary>
public sealed record SweepOptions
{
    /// <summary>The OpenAI-compatible server; "/v1/chat/completions" is appended (or "/chat/completions" after "/v1").</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Sent as a bearer token when set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The served model name.</summary>
    public required string Model { get; init; }

    /// <summary>JSONL suite file.</summary>
    public required string SuitePath { get; init; }

    /// <summary>The settings to try.</summary>
    public required SweepGrid Grid { get; init; }

    /// <summary>How many times each case is sent at each grid point.</summary>
    public int Repeats { get; init; } = 1;

    /// <summary>Mixed into every derived seed; the same base reproduces the same seeds.</summary>
    public long SeedBase { get; init; } = 1000;

    /// <summary>Most requests in flight at once.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>Output folder; an existing answers.csv there is resumed.</summary>
    public required string OutDir { get; init; }

    /// <summary>Points whose both-pass rate is within this of the best form the recommended band.</summary>
    public double Margin { get; init; } = 0.05;

    /// <summary>Whether the content starts inside the reasoning (the template opened it) or the model tags it.</summary>
    public ReasoningStart Reasoning { get; init; } = ReasoningStart.Opened;

    /// <summary>Python interpreter used to grade code answers.</summary>
    public string Python { get; init; } = "python3";

    /// <summary>Time one code answer may run.</summary>
    public TimeSpan CodeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time one completion request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Optional transport, e.g. an in-memory test server's handler; null means a normal socket handler.</summary>
    public HttpMessageHandler? Handler { get; init; }
}
