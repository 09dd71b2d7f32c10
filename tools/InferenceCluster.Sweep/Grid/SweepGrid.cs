namespace InferenceCluster.Sweep.Grid;

/// <summary>The axes of a sweep; <see cref="Points"/> is their cartesian product in a stable order.</summary>
public sealed record SweepGrid
{
    /// <summary>Temperatures to try.</summary>
    public required IReadOnlyList<double> Temperatures { get; init; }

    /// <summary>Nucleus masses to try.</summary>
    public required IReadOnlyList<double> TopPs { get; init; }

    /// <summary>Token budgets to try.</summary>
    public required IReadOnlyList<int> MaxTokens { get; init; }

    /// <summary>Repetition penalties to try; 1.0 means none.</summary>
    public IReadOnlyList<double> RepetitionPenalties { get; init; } = [1.0];

    /// <summary>Top-k values to try; empty means top_k is not sent at all.</summary>
    public IReadOnlyList<int> TopKs { get; init; } = [];

    /// <summary>Every grid point, ordered temperature, top_p, max_tokens, repetition penalty, top_k.</summary>
    public IReadOnlyList<GridPoint> Points()
    {
        var topKs = TopKs.Count == 0 ? [null] : TopKs.Select(k => (int?)k).ToList();
        return [.. from t in Temperatures
                   from p in TopPs
                   from m in MaxTokens
                   from r in RepetitionPenalties
                   from k in topKs
                   select new GridPoint(t, p, m, r, k)];
    }
}
