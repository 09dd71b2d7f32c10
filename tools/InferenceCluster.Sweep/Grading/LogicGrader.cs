using System.Text;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// Passes when every required group has one of its phrases and no forbidden phrase appears. The
/// matched required phrases are blanked before the forbidden check, so "does not necessarily
/// follow" does not trip a forbidden "necessarily follow".
/// </summary>
internal static class LogicGrader
{
    /// <summary>Grades the answer text (reasoning already removed).</summary>
    public static GradeResult Grade(SuiteCase c, string answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return GradeResult.Fail("no answer", "the answer section is empty");
        }

        var text = new StringBuilder(Normalize(answer));
        foreach (var group in c.Required)
        {
            var found = false;
            foreach (var phrase in group.Select(Normalize).OrderByDescending(p => p.Length))
            {
                var at = text.ToString().IndexOf(phrase, StringComparison.Ordinal);
                while (at >= 0)
                {
                    found = true;
                    text.Remove(at, phrase.Length).Insert(at, new string('|', phrase.Length));
                    at = text.ToString().IndexOf(phrase, at + phrase.Length, StringComparison.Ordinal);
                }
            }

            if (!found)
            {
                return GradeResult.Fail("missing conclusion", $"none of: {string.Join(" | ", group)}");
            }
        }

        var rest = text.ToString();
        var forbidden = c.Forbidden.FirstOrDefault(f => rest.Contains(Normalize(f), StringComparison.Ordinal));
        return forbidden is null ? GradeResult.Pass() : GradeResult.Fail("forbidden conclusion", $"says '{forbidden}'");
    }

    /// <summary>Lower case, plain apostrophes, no Markdown emphasis, single spaces.</summary>
    internal static string Normalize(string s)
    {
        var t = s.ToLowerInvariant().Replace('’', '\'').Replace('‘', '\'').Replace("*", "", StringComparison.Ordinal).Replace("_", " ", StringComparison.Ordinal);
        return string.Join(' ', t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
