using System.Globalization;
using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Benchmark;

/// <summary>Command line: --requests N --tokens N --repeat N --paged PATH --standard PATH --hidden-size N --intra-op-threads N.</summary>
internal sealed record BenchmarkSettings(
    int Requests, int Tokens, int Repeat, string PagedPath, string StandardPath, int? HiddenSize, int IntraOpThreads)
{
    private static readonly string[] Known = ["requests", "tokens", "repeat", "paged", "standard", "hidden-size", "intra-op-threads"];

    public static BenchmarkSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            var key = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : null;
            if (key is null || !Known.Contains(key))
            {
                throw new ArgumentException($"unknown option '{args[i]}'; options: {string.Join(", ", Known.Select(k => "--" + k))}");
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"option '{args[i]}' needs a value");
            }

            if (!values.TryAdd(key, args[i + 1]))
            {
                throw new ArgumentException($"option '{args[i]}' is given twice");
            }
        }

        int? Int(string key)
        {
            if (!values.TryGetValue(key, out var v))
            {
                return null;
            }

            return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"--{key} must be a positive whole number; got '{v}'");
        }

        var hidden = Int("hidden-size");
        if (hidden is not null && (values.ContainsKey("paged") || values.ContainsKey("standard")))
        {
            throw new ArgumentException("--hidden-size generates both layouts; it cannot be combined with --paged or --standard");
        }

        return new BenchmarkSettings(
            Int("requests") ?? 8,
            Int("tokens") ?? 64,
            Int("repeat") ?? 5,
            values.GetValueOrDefault("paged", TestModel.PagedPath),
            values.GetValueOrDefault("standard", TestModel.StandardPath),
            hidden,
            Int("intra-op-threads") ?? 0);
    }
}
