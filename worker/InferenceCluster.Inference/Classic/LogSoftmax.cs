namespace InferenceCluster.Inference.Classic;

/// <summary>Log-probabilities from raw logits, computed in double precision for a stable sum.</summary>
internal static class LogSoftmax
{
    /// <summary>Log of the softmax normaliser: logsumexp over the row.</summary>
    public static double LogNormaliser(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        double sum = 0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>The <paramref name="count"/> most likely token ids with their log-probabilities, most likely first.</summary>
    public static IReadOnlyList<(int TokenId, double Logprob)> Top(ReadOnlySpan<float> logits, double logNormaliser, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        // Small k (≤ 20): a sorted insertion buffer beats sorting the whole vocabulary.
        var best = new List<(int TokenId, double Logprob)>(count + 1);
        for (var i = 0; i < logits.Length; i++)
        {
            var value = logits[i];
            if (best.Count == count && value <= best[^1].Logprob)
            {
                continue;
            }

            // A plain scan: a lambda capturing value would allocate for every vocabulary entry.
            var at = 0;
            while (at < best.Count && value <= best[at].Logprob)
            {
                at++;
            }

            best.Insert(at, (i, value));
            if (best.Count > count)
            {
                best.RemoveAt(best.Count - 1);
            }
        }

        for (var k = 0; k < best.Count; k++)
        {
            best[k] = (best[k].TokenId, best[k].Logprob - logNormaliser);
        }

        return best;
    }
}
