namespace InferenceCluster.Inference.Simulation;

/// <summary>One planned step: every sequence that gets a token at its end, those of them prefilled in it, and how long it takes.</summary>
internal sealed record SimulatedStep(IReadOnlyList<SimulatedSequence> Sequences, IReadOnlyList<SimulatedSequence> Admitted, TimeSpan Duration)
{
    public static readonly SimulatedStep Idle = new([], [], TimeSpan.Zero);

    public bool IsIdle => Sequences.Count == 0;
}
