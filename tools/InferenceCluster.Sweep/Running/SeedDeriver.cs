using System.Text;
using InferenceCluster.Sweep.Grid;

namespace InferenceCluster.Sweep.Running;

/// <summary>
/// Gives every (grid point, case, repeat) its own seed. The seed is a hash of the seed base and the
/// request's identity, so it does not depend on scheduling and a re-run sends the same seeds.
/// </summary>
internal static class SeedDeriver
{
    /// <summary>Seeds for all requests in grid order; a rare hash collision is moved to the next free value so all are distinct.</summary>
    public static Dictionary<(string Point, string Case, int Repeat), long> Derive(long seedBase, IEnumerable<GridPoint> points, IReadOnlyList<string> caseIds, int repeats)
    {
        var seeds = new Dictionary<(string, string, int), long>();
        var used = new HashSet<long>();
        foreach (var point in points)
        {
            foreach (var id in caseIds)
            {
                for (var r = 0; r < repeats; r++)
                {
                    var seed = Hash($"{seedBase}|{point.Key}|{id}|{r}");
                    while (!used.Add(seed))
                    {
                        seed = (seed + 1) & int.MaxValue;
                    }

                    seeds[(point.Key, id, r)] = seed;
                }
            }
        }

        return seeds;
    }

    // FNV-1a folded to 31 bits: servers store seeds as int or long, and a positive int fits both.
    private static long Hash(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            h = (h ^ b) * 1099511628211UL;
        }

        return (long)((h ^ (h >> 31)) & int.MaxValue);
    }
}
