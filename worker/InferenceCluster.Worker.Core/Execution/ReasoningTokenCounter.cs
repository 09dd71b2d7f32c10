namespace InferenceCluster.Worker.Execution;

/// <summary>
/// Counts the generated tokens of a reasoning model that belong to its reasoning: every token up to and
/// including the one that completes <c>&lt;/think&gt;</c>. The tag may be split over several tokens, so the
/// last few characters are kept to find it across token boundaries.
/// </summary>
internal sealed class ReasoningTokenCounter
{
    private const string EndTag = "</think>";
    private string _tail = string.Empty;

    /// <summary>Reasoning tokens so far (all tokens while the reasoning is still open).</summary>
    public int Count { get; private set; }

    /// <summary>True once <c>&lt;/think&gt;</c> has been generated.</summary>
    public bool Closed { get; private set; }

    /// <summary>
    /// Reasoning tokens of a finished turn of <paramref name="completionTokens"/> tokens. A stop string holds its
    /// tokens back and drops them, so they never reach <see cref="Add"/>; while the reasoning is open they
    /// were reasoning too, so an open reasoning spans every generated token.
    /// </summary>
    public int Total(int completionTokens) => Closed ? Count : Math.Max(Count, completionTokens);

    public void Add(string tokenText)
    {
        if (Closed)
        {
            return;
        }

        Count++;
        var window = _tail + tokenText;
        if (window.Contains(EndTag, StringComparison.Ordinal))
        {
            Closed = true;
            return;
        }

        _tail = window.Length <= EndTag.Length - 1 ? window : window[^(EndTag.Length - 1)..];
    }
}
