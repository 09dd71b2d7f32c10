using System.Globalization;
using System.Text.RegularExpressions;

namespace InferenceCluster.IntegrationTests.Telemetry;

/// <summary>One scrape of a Prometheus text endpoint: every sample with its labels.</summary>
internal sealed partial class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<Sample> samples) => Samples = samples;

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<PrometheusScrape> FetchAsync(HttpClient http, Uri metrics)
    {
        using var response = await http.GetAsync(metrics);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["name"].Value, pair => pair.Groups["value"].Value, StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(samples);
    }

    /// <summary>The metric family names present (sample names without histogram suffixes).</summary>
    public IReadOnlySet<string> Names => Samples.Select(sample => sample.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of a sample name's values over the series whose labels include <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Name, out var value) && value == label.Value))
            .Sum(sample => sample.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();

    /// <summary>One sample line.</summary>
    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
