namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// Separates a reasoning model's answer from its thinking. Graders see the answer only, so a
/// correct number that appears mid-thought does not earn a pass.
/// </summary>
internal static class AnswerText
{
    private const string Open = "<think>";
    private const string Close = "</think>";

    /// <summary>
    /// The text after the last <c>&lt;/think&gt;</c>. Without one the model never left its reasoning
    /// (usually cut by length), so there is no answer — unless the model opens its reasoning itself
    /// (<see cref="ReasoningStart.Tagged"/>) and wrote no opening tag either, in which case it all is answer.
    /// </summary>
    public static string Extract(string content, ReasoningStart start)
    {
        ArgumentNullException.ThrowIfNull(content);
        var close = content.LastIndexOf(Close, StringComparison.Ordinal);
        if (close >= 0)
        {
            return content[(close + Close.Length)..].Trim();
        }

        return start == ReasoningStart.Opened || content.Contains(Open, StringComparison.Ordinal) ? "" : content.Trim();
    }

    /// <summary>
    /// The answer of a completion whose server may have split the reasoning out already
    /// (<paramref name="separatedReasoning"/> is its <c>reasoning_content</c>): then content is the answer as it is.
    /// </summary>
    public static string Extract(string content, string? separatedReasoning, ReasoningStart start) =>
        separatedReasoning is null ? Extract(content, start) : content.Trim();
}
