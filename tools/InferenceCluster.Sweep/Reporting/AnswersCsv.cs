using System.Globalization;
using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>Reads and appends answers.csv, the sweep's only state: reports are always rebuilt from it.</summary>
internal static class AnswersCsv
{
    /// <summary>The header row, in column order.</summary>
    public static readonly string[] Header =
    [
        "temperature", "top_p", "max_tokens", "repetition_penalty", "top_k", "case", "category", "repeat", "seed",
        "pass", "problem", "reason", "completion_tokens", "finish_reason", "repetition", "margin", "answer",
    ];

    /// <summary>Writes the header and the given records, replacing the file.</summary>
    public static void Write(string path, IEnumerable<AnswerRecord> records)
    {
        using var w = new StreamWriter(path, append: false);
        w.Write(Csv.Line(Header));
        foreach (var r in records)
        {
            w.Write(Line(r));
        }
    }

    /// <summary>One CSV line, newline included; appended whole so an interrupted run leaves at most one partial line.</summary>
    public static string Line(AnswerRecord r) => Csv.Line(
    [
        F(r.Point.Temperature), F(r.Point.TopP), I(r.Point.MaxTokens), F(r.Point.RepetitionPenalty),
        r.Point.TopK is { } k ? I(k) : "", r.CaseId, r.Category.ToString().ToLowerInvariant(), I(r.Repeat),
        r.Seed.ToString(CultureInfo.InvariantCulture), r.Passed ? "true" : "false", r.Problem, r.Reason,
        I(r.CompletionTokens), r.FinishReason, r.Repetition ? "true" : "false",
        r.Margin is { } m ? m.ToString("0.######", CultureInfo.InvariantCulture) : "", r.Answer,
    ]);

    /// <summary>Every complete row of the file; an incomplete last row (interrupted write) is ignored.</summary>
    public static List<AnswerRecord> Read(string path)
    {
        var rows = Csv.Parse(File.ReadAllText(path));
        if (rows.Count == 0)
        {
            return [];
        }

        if (!rows[0].SequenceEqual(Header))
        {
            throw new InvalidDataException($"{path}: the header is not that of answers.csv; use another --out folder");
        }

        var records = new List<AnswerRecord>();
        for (var i = 1; i < rows.Count; i++)
        {
            var f = rows[i];
            if (f.Length != Header.Length)
            {
                throw new InvalidDataException($"{path} record {i + 1}: {f.Length} fields, expected {Header.Length}");
            }

            try
            {
                records.Add(new AnswerRecord
                {
                    Point = new GridPoint(D(f[0]), D(f[1]), int.Parse(f[2], CultureInfo.InvariantCulture), D(f[3]),
                        f[4].Length == 0 ? null : int.Parse(f[4], CultureInfo.InvariantCulture)),
                    CaseId = f[5],
                    Category = Enum.Parse<CaseCategory>(f[6], ignoreCase: true),
                    Repeat = int.Parse(f[7], CultureInfo.InvariantCulture),
                    Seed = long.Parse(f[8], CultureInfo.InvariantCulture),
                    Passed = bool.Parse(f[9]),
                    Problem = f[10],
                    Reason = f[11],
                    CompletionTokens = int.Parse(f[12], CultureInfo.InvariantCulture),
                    FinishReason = f[13],
                    Repetition = bool.Parse(f[14]),
                    Margin = f[15].Length == 0 ? null : D(f[15]),
                    Answer = f[16],
                });
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                throw new InvalidDataException($"{path} record {i + 1}: {e.Message}", e);
            }
        }

        return records;
    }

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}
