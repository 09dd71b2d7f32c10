using System.Globalization;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Benchmark;

/// <summary>Command line: --requests N --tokens N --repeat N --paged PATH --standard PATH.</summary>
internal sealed record BenchmarkSettings(int Requests, int Tokens, int Repeat, string PagedPath, string StandardPath)
{
    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        int Int(string key, int fallback) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchmarkSettings(
            Int("requests", 8),
            Int("tokens", 64),
            Int("repeat", 5),
            values.GetValueOrDefault("paged", TestModel.PagedPath),
            values.GetValueOrDefault("standard", TestModel.StandardPath));
    }
}
