using System.Globalization;
using System.Text.RegularExpressions;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// Passes an answer whose final value equals the expected one AND that shows how it got there:
/// a bare number, boxed or not, fails, because a right guess is exactly the instability we measure.
/// </summary>
internal static partial class MathGrader
{
    /// <summary>Grades the answer text (reasoning already removed).</summary>
    public static GradeResult Grade(SuiteCase c, string answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return GradeResult.Fail("no answer", "the answer section is empty");
        }

        var expected = NumberText.TryParse(c.Expected, out var e) ? e : throw new InvalidOperationException($"case {c.Id} has no numeric expected value");
        var (final, span) = FinalAnswer(answer);
        if (final is null)
        {
            return GradeResult.Fail("no final answer", "no number found in the answer");
        }

        if (!NumberText.Same(final.Value, expected))
        {
            return GradeResult.Fail("wrong answer", string.Create(CultureInfo.InvariantCulture, $"got {final.Value}, expected {c.Expected}"));
        }

        // Working is judged on the text without the final answer, so "\boxed{155}" alone cannot count as working.
        var working = Normalize(answer.Remove(span.Start, span.Length));
        if (!Calculation().IsMatch(working))
        {
            return GradeResult.Fail("no working shown", "the answer has no calculation besides the result");
        }

        if (c.WorkingAny.Count > 0)
        {
            var compact = Squash(working);
            if (!c.WorkingAny.Any(w => compact.Contains(Squash(Normalize(w)), StringComparison.OrdinalIgnoreCase)))
            {
                return GradeResult.Fail("no working shown", $"the working does not mention any of: {string.Join(" | ", c.WorkingAny)}");
            }
        }

        return GradeResult.Pass();
    }

    /// <summary>The last \boxed{…} value, else the value after the last "answer", else the last number.</summary>
    internal static (double? Value, (int Start, int Length) Span) FinalAnswer(string answer)
    {
        var boxed = LastBoxed(answer);
        if (boxed is { } b)
        {
            var inner = answer.Substring(b.InnerStart, b.InnerLength);
            return (NumberText.TryParse(inner, out var v) || NumberText.TryParseLast(inner, out v) ? v : null, (b.Start, b.End - b.Start));
        }

        var stated = AnswerStatement().Matches(answer);
        if (stated.Count > 0)
        {
            var m = stated[^1];
            if (NumberText.TryParse(m.Groups[1].Value, out var v))
            {
                return (v, (m.Index, m.Length));
            }
        }

        var numbers = LooseNumber().Matches(answer);
        if (numbers.Count > 0 && NumberText.TryParse(numbers[^1].Value, out var last))
        {
            return (last, (numbers[^1].Index, numbers[^1].Length));
        }

        return (null, (0, 0));
    }

    private static (int Start, int End, int InnerStart, int InnerLength)? LastBoxed(string text)
    {
        var start = text.LastIndexOf("\\boxed{", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var inner = start + "\\boxed{".Length;
        var depth = 1;
        for (var i = inner; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return (start, i + 1, inner, i - inner);
            }
        }

        return null;
    }

    private static string Normalize(string s) => s
        .Replace("\\times", "*", StringComparison.Ordinal)
        .Replace("\\cdot", "*", StringComparison.Ordinal)
        .Replace("\\left", "", StringComparison.Ordinal)
        .Replace("\\right", "", StringComparison.Ordinal)
        .Replace("−", "-", StringComparison.Ordinal)
        .Replace("×", "*", StringComparison.Ordinal);

    private static string Squash(string s) => string.Concat(s.Where(ch => !char.IsWhiteSpace(ch) && ch is not '{' and not '}' and not '$'));

    // A digit or bracket on both sides of an operator, or "= number": 19 * 8, (n-1)d = 152, = 155.
    [GeneratedRegex(@"[\d)\]a-zA-Z]\s*[-+*/÷^=]\s*[\d(\[]|=\s*-?\d")]
    private static partial Regex Calculation();

    [GeneratedRegex(@"(?i)answer\s*(?:is|:|=)?\s*:?\s*\**\s*\$?(-?[\d,]+(?:\.\d+)?)")]
    private static partial Regex AnswerStatement();

    [GeneratedRegex(@"-?\d[\d,]*(?:\.\d+)?")]
    private static partial Regex LooseNumber();
}
