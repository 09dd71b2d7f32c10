using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Reporting;
using InferenceCluster.Sweep.Suites;

namespace InferenceCluster.Sweep.Running;

/// <summary>
/// What an earlier run left in answers.csv. A grid point counts as done only when every case and
/// repeat of the current suite is there with the seed this run would send; rows of unfinished
/// points are dropped so the point is redone whole. Rows of points outside the grid are kept.
/// </summary>
internal sealed record ResumeState(List<AnswerRecord> Records, HashSet<string> CompletePoints)
{
    public static ResumeState Load(string path, IReadOnlyList<GridPoint> points, IReadOnlyList<SuiteCase> suite, int repeats,
        Dictionary<(string Point, string Case, int Repeat), long> seeds)
    {
        if (!File.Exists(path))
        {
            return new ResumeState([], []);
        }

        var records = AnswersCsv.Read(path);
        var inGrid = points.Select(p => p.Key).ToHashSet();
        var complete = new HashSet<string>();
        foreach (var g in records.Where(r => inGrid.Contains(r.Point.Key)).GroupBy(r => r.Point.Key))
        {
            var have = g.Where(r => seeds.TryGetValue((g.Key, r.CaseId, r.Repeat), out var s) && s == r.Seed)
                .Select(r => (r.CaseId, r.Repeat)).ToHashSet();
            if (have.Count == suite.Count * repeats)
            {
                complete.Add(g.Key);
            }
        }

        // Duplicates can only come from a crash between two runs of the same point; keep the first.
        var kept = records.Where(r => !inGrid.Contains(r.Point.Key) || complete.Contains(r.Point.Key))
            .DistinctBy(r => (r.Point.Key, r.CaseId, r.Repeat)).ToList();
        return new ResumeState(kept, complete);
    }
}
