namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// A small, fully specified random sequence (Steele et al.'s SplitMix64), so a seed gives the same tokens on
/// every machine and runtime version; System.Random promises no such thing across versions.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, count).</summary>
    public int NextIndex(int count) => (int)(Next() % (ulong)count);
}
