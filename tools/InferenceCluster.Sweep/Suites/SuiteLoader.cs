using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Sweep.Suites;

/// <summary>Reads a JSONL suite: one case per line, blank lines and lines starting with // ignored.</summary>
internal static class SuiteLoader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Loads and validates every case; the first bad line stops loading with its number.</summary>
    public static IReadOnlyList<SuiteCase> Load(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SuiteFormatException(path, 0, $"cannot read: {e.Message}");
        }

        var cases = new List<SuiteCase>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            SuiteCase? c;
            try
            {
                c = JsonSerializer.Deserialize<SuiteCase>(text, Json);
            }
            catch (JsonException e)
            {
                throw new SuiteFormatException(path, i + 1, $"not a valid case: {e.Message}");
            }

            if (c is null)
            {
                throw new SuiteFormatException(path, i + 1, "null is not a case");
            }

            var problem = Validate(c);
            if (problem is not null)
            {
                throw new SuiteFormatException(path, i + 1, $"case '{c.Id}': {problem}");
            }

            if (!ids.Add(c.Id))
            {
                throw new SuiteFormatException(path, i + 1, $"id '{c.Id}' is used twice");
            }

            cases.Add(c);
        }

        return cases.Count == 0 ? throw new SuiteFormatException(path, 0, "the suite has no cases") : cases;
    }

    private static string? Validate(SuiteCase c)
    {
        if (string.IsNullOrWhiteSpace(c.Id) || c.Id.Contains(',') || c.Id.Contains('"'))
        {
            return "id must be non-empty without commas or quotes";
        }

        if (string.IsNullOrWhiteSpace(c.Prompt))
        {
            return "prompt is empty";
        }

        return c.Category switch
        {
            CaseCategory.Math when !Grading.NumberText.TryParse(c.Expected, out _) => "math case needs a numeric 'expected'",
            CaseCategory.Code when c.Tests.Count == 0 => "code case needs 'tests'",
            CaseCategory.Code when c.Tests.Any(t => string.IsNullOrWhiteSpace(t.Call) || string.IsNullOrWhiteSpace(t.Expected)) => "every test needs 'call' and 'expected'",
            CaseCategory.Logic when c.Required.Count == 0 || c.Required.Any(g => g.Count == 0) => "logic case needs non-empty 'required' groups",
            _ => null,
        };
    }
}
