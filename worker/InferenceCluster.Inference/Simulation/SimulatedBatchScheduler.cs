namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// Continuous batching as a GPU engine does it, without a GPU: at every step the running sequences decode one
/// token each, and waiting ones join (first come, first served) while the batch, the step's prefill budget and
/// the KV blocks allow. Pure bookkeeping with no clock or thread, so the timing model is testable exactly;
/// the caller serialises access.
/// </summary>
internal sealed class SimulatedBatchScheduler(SimulationOptions options)
{
    private readonly List<SimulatedSequence> _waiting = [];
    private readonly List<SimulatedSequence> _running = [];
    private readonly StepTimeModel _time = StepTimeModel.From(options);
    private int _freeBlocks = options.KvBlocks;

    public int Waiting => _waiting.Count;

    public int FreeBlocks => _freeBlocks;

    /// <summary>KV blocks a sequence reserves: its prompt plus every token it may generate.</summary>
    public static int BlocksFor(int promptTokens, int maxTokens, int blockSize) =>
        (int)Math.Min(int.MaxValue, ((long)promptTokens + maxTokens + blockSize - 1) / blockSize);

    public void Enqueue(SimulatedSequence sequence) => _waiting.Add(sequence);

    /// <summary>
    /// Removes cancelled sequences (into <paramref name="dropped"/>, their blocks freed), admits what fits and
    /// returns the next step, or <see cref="SimulatedStep.Idle"/> when nothing runs.
    /// </summary>
    public SimulatedStep Plan(List<SimulatedSequence> dropped)
    {
        Drop(_waiting, dropped);
        var freed = Drop(_running, dropped);
        _freeBlocks += freed;

        var decoding = _running.Count;
        var admitted = new List<SimulatedSequence>();
        var prefillTokens = 0;
        while (_waiting.Count > 0 && _running.Count < options.MaxBatch)
        {
            var next = _waiting[0];

            // First come, first served: a head that does not fit holds back the ones behind it, as in vLLM.
            if (next.Blocks > _freeBlocks
                || (admitted.Count > 0 && prefillTokens + next.PromptTokens > options.MaxPrefillTokensPerStep))
            {
                break;
            }

            _waiting.RemoveAt(0);
            _freeBlocks -= next.Blocks;
            _running.Add(next);
            admitted.Add(next);
            prefillTokens += next.PromptTokens;
        }

        return _running.Count == 0
            ? SimulatedStep.Idle
            : new SimulatedStep(_running.ToArray(), admitted, _time.Step(decoding, prefillTokens));
    }

    /// <summary>A finished sequence leaves the batch and gives its blocks back.</summary>
    public void Retire(SimulatedSequence sequence)
    {
        if (_running.Remove(sequence))
        {
            _freeBlocks += sequence.Blocks;
        }
    }

    /// <summary>Everything still queued or running, for shutdown.</summary>
    public List<SimulatedSequence> TakeAll()
    {
        var all = _waiting.Concat(_running).ToList();
        foreach (var sequence in _running)
        {
            _freeBlocks += sequence.Blocks;
        }

        _waiting.Clear();
        _running.Clear();
        return all;
    }

    private static int Drop(List<SimulatedSequence> from, List<SimulatedSequence> dropped)
    {
        var blocks = 0;
        for (var i = from.Count - 1; i >= 0; i--)
        {
            if (from[i].IsCancelled)
            {
                dropped.Add(from[i]);
                blocks += from[i].Blocks;
                from.RemoveAt(i);
            }
        }

        return blocks;
    }
}
