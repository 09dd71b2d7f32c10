namespace InferenceCluster.Inference;

/// <summary>
/// The seed the samplers are given for a request's 64-bit seed. The classic Generator takes only a non-negative
/// 32-bit seed, and a request moves between it and the batching engine (log-probabilities, seeds on a static model),
/// so both get the same folded value: one seed samples the same tokens on either path.
/// </summary>
internal static class SamplerSeed
{
    public static int Of(long seed) => (int)(((ulong)seed ^ ((ulong)seed >> 31)) & 0x7FFF_FFFF);
}
