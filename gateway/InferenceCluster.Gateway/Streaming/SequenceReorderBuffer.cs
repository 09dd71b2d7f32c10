namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// Restores the order of a sequence-numbered stream (0, 1, 2, …): items that arrive early wait until
/// the gap before them is filled; an item whose number was already seen (a redelivery) is dropped.
/// Not thread-safe: the owner serialises calls.
/// </summary>
internal sealed class SequenceReorderBuffer<T>
{
    private readonly SortedDictionary<long, T> _early = [];

    /// <summary>The sequence number the next released item must carry.</summary>
    public long Next { get; private set; }

    /// <summary>Items waiting for a gap to close.</summary>
    public int Waiting => _early.Count;

    /// <summary>Adds an item and returns those now in order (possibly none); duplicates return none.</summary>
    public IReadOnlyList<T> Add(long sequence, T item)
    {
        if (sequence < Next || !_early.TryAdd(sequence, item))
        {
            return [];
        }

        var ready = new List<T>();
        while (_early.Remove(Next, out var next))
        {
            ready.Add(next);
            Next++;
        }

        return ready;
    }
}
