namespace InferenceCluster.Inference.Text;

/// <summary>
/// Holds back generated tokens whose text could still turn into a stop string, so matched stop
/// text is never returned. Works at token granularity: a token is released with its whole text,
/// or (when a stop string starts inside it) with the part before the stop.
/// </summary>
internal sealed class StopTextBuffer<T>(IReadOnlyList<string> stops)
{
    private readonly List<Pending> _pending = [];

    /// <summary>Adds a token's text; returns the tokens now safe to emit and whether a stop string matched.</summary>
    public (IReadOnlyList<(T Item, string Text)> Released, bool Stopped) Add(T item, string text)
    {
        if (stops.Count == 0)
        {
            return ([(item, text)], false);
        }

        _pending.Add(new Pending(item, text));
        var held = string.Concat(_pending.Select(p => p.Text));
        var stopAt = FirstStop(held);
        if (stopAt >= 0)
        {
            return (Cut(stopAt), true);
        }

        var keep = LongestStopPrefixSuffix(held);
        return (ReleaseUpTo(held.Length - keep), false);
    }

    /// <summary>At a natural end no stop can match any more: everything held is released.</summary>
    public IReadOnlyList<(T Item, string Text)> Flush() => ReleaseUpTo(int.MaxValue);

    private int FirstStop(string held)
    {
        var first = -1;
        foreach (var stop in stops)
        {
            var at = held.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    private int LongestStopPrefixSuffix(string held)
    {
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, held.Length); length > longest; length--)
            {
                if (held.AsSpan(held.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }

    private List<(T Item, string Text)> ReleaseUpTo(int end)
    {
        var released = new List<(T Item, string Text)>();
        var offset = 0;
        var count = 0;
        foreach (var pending in _pending)
        {
            if (offset + pending.Text.Length > end)
            {
                break;
            }

            released.Add((pending.Item, pending.Text));
            offset += pending.Text.Length;
            count++;
        }

        _pending.RemoveRange(0, count);
        return released;
    }

    private List<(T Item, string Text)> Cut(int stopAt)
    {
        var released = new List<(T Item, string Text)>();
        var offset = 0;
        foreach (var pending in _pending)
        {
            // Tokens that start at or after the stop belong to the stop text (or follow it).
            if (offset >= stopAt)
            {
                break;
            }

            var length = Math.Min(pending.Text.Length, stopAt - offset);
            released.Add((pending.Item, pending.Text[..length]));
            offset += pending.Text.Length;
        }

        _pending.Clear();
        return released;
    }

    private readonly record struct Pending(T Item, string Text);
}
