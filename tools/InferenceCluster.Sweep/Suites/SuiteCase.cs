namespace InferenceCluster.Sweep.Suites;

/// <summary>One test prompt and how its answer is graded. Only the fields of its category are used.</summary>
internal sealed record SuiteCase
{
    /// <summary>Unique within the suite; appears in answers.csv.</summary>
    public required string Id { get; init; }

    /// <summary>Picks the grader.</summary>
    public required CaseCategory Category { get; init; }

    /// <summary>The user message sent to the model.</summary>
    public required string Prompt { get; init; }

    /// <summary>Math: the expected final value, compared numerically.</summary>
    public string? Expected { get; init; }

    /// <summary>Math: the working must mention at least one of these (e.g. the formula); empty means any working.</summary>
    public IReadOnlyList<string> WorkingAny { get; init; } = [];

    /// <summary>Code: checks run against the first Python block.</summary>
    public IReadOnlyList<CodeTest> Tests { get; init; } = [];

    /// <summary>Logic: every group needs one of its phrases present (case-insensitive).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Required { get; init; } = [];

    /// <summary>Logic: none of these phrases may appear.</summary>
    public IReadOnlyList<string> Forbidden { get; init; } = [];
}
