namespace InferenceCluster.Gateway.OpenAI.Reasoning;

/// <summary>
/// Splits a reasoning model's output (DeepSeek-R1 style) into <c>reasoning_content</c> and <c>content</c> as it
/// streams: everything before <c>&lt;/think&gt;</c> is reasoning, the rest is the answer. The R1 chat template
/// opens <c>&lt;think&gt;</c> in the prompt, so the output usually starts inside the reasoning; a leading
/// <c>&lt;think&gt;</c> the model writes itself is dropped too. Tags may arrive split over several pieces, so a
/// possible partial tag is held back until the next piece (or <see cref="Flush"/>) decides it.
/// </summary>
internal sealed class ReasoningSplitter
{
    private const string OpenTag = "<think>";
    private const string CloseTag = "</think>";

    private string _held = string.Empty;
    private State _state = State.Start;

    private enum State
    {
        Start,
        Reasoning,
        ContentStart,
        Content,
    }

    /// <summary>Splits a whole text at once.</summary>
    public static ReasoningPiece SplitAll(string text)
    {
        var splitter = new ReasoningSplitter();
        var first = splitter.Add(text);
        var rest = splitter.Flush();
        return new ReasoningPiece(first.Reasoning + rest.Reasoning, first.Content + rest.Content);
    }

    /// <summary>Takes the next piece of output and returns what can be released now.</summary>
    public ReasoningPiece Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pending = _held + text;
        _held = string.Empty;
        var reasoning = string.Empty;
        var content = string.Empty;

        if (_state == State.Start)
        {
            var trimmed = pending.TrimStart();
            if (trimmed.StartsWith(OpenTag, StringComparison.Ordinal))
            {
                pending = trimmed[OpenTag.Length..];
                _state = State.Reasoning;
            }
            else if (OpenTag.StartsWith(trimmed, StringComparison.Ordinal))
            {
                // Still undecided: whitespace or the beginning of "<think>".
                _held = pending;
                return new ReasoningPiece(string.Empty, string.Empty);
            }
            else
            {
                _state = State.Reasoning;
            }
        }

        if (_state == State.Reasoning)
        {
            var end = pending.IndexOf(CloseTag, StringComparison.Ordinal);
            if (end < 0)
            {
                var keep = PartialSuffix(pending, CloseTag);
                reasoning = pending[..^keep];
                _held = pending[^keep..];
                return new ReasoningPiece(reasoning, content);
            }

            reasoning = pending[..end];
            pending = pending[(end + CloseTag.Length)..];
            _state = State.ContentStart;
        }

        if (_state == State.ContentStart)
        {
            // The answer follows "</think>" after blank lines, which are not part of it.
            pending = pending.TrimStart();
            if (pending.Length == 0)
            {
                return new ReasoningPiece(reasoning, content);
            }

            _state = State.Content;
        }

        content = pending;
        return new ReasoningPiece(reasoning, content);
    }

    /// <summary>The output ended: whatever was held back is released (inside the reasoning, it stays reasoning).</summary>
    public ReasoningPiece Flush()
    {
        var held = _held;
        _held = string.Empty;
        return _state is State.Start or State.Reasoning
            ? new ReasoningPiece(held, string.Empty)
            : new ReasoningPiece(string.Empty, string.Empty);
    }

    /// <summary>Length of the longest suffix of <paramref name="text"/> that is a proper prefix of <paramref name="tag"/>.</summary>
    private static int PartialSuffix(string text, string tag)
    {
        for (var length = Math.Min(text.Length, tag.Length - 1); length > 0; length--)
        {
            if (tag.AsSpan(0, length).SequenceEqual(text.AsSpan(text.Length - length)))
            {
                return length;
            }
        }

        return 0;
    }
}
