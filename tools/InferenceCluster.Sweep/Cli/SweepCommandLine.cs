using System.Globalization;
using InferenceCluster.Sweep.Grading;
using InferenceCluster.Sweep.Grid;
using InferenceCluster.Sweep.Running;

namespace InferenceCluster.Sweep.Cli;

/// <summary>Turns arguments into <see cref="SweepOptions"/>; every error names the option at fault.</summary>
internal static class SweepCommandLine
{
    public const string Help = """
        Usage: sweep [options]

        Sends every suite case at every grid point to an OpenAI-compatible server, grades the
        answers and writes report.md, answers.csv and chart.svg to --out. Re-running with the
        same --out skips grid points already complete in answers.csv.

        Grid (list a,b,c or inclusive range start:stop:step):
          --temperature V          default 0.30:0.90:0.05
          --top-p V                default 0.85,0.95
          --max-tokens V           default 512,1024
          --repetition-penalty V   default 1.0,1.05
          --top-k V                default: not sent

        Run:
          --repeats N              times each case is sent per grid point (default 1)
          --seed-base S            base of the derived per-request seeds (default 1000)
          --concurrency C          most requests in flight (default 16)
          --model NAME             default deepseek-r1-test-tiny
          --base-url URL           default http://127.0.0.1:8080
          --api-key KEY            default $OPENAI_API_KEY, if set
          --suite FILE             JSONL suite (default: suites/default.jsonl next to the tool)
          --out DIR                default sweep-out
          --margin M               recommended band: both-pass within M of the best (default 0.05)
          --reasoning opened|tagged
                                   opened (default): the chat template starts the reasoning
                                   (DeepSeek-R1), so only text after </think> is graded;
                                   tagged: the model writes <think> itself or not at all
          --python PATH            interpreter for code answers (default python3)
          --code-timeout SECONDS   per code answer (default 10)
          --request-timeout SECONDS per request (default 1800)
          -h, --help
        """;

    /// <summary>Null when help was asked for.</summary>
    public static SweepOptions? Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help")
            {
                return null;
            }

            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{a}'");
            }

            var eq = a.IndexOf('=');
            var (name, value) = eq > 0 ? (a[..eq], a[(eq + 1)..]) : (a, i + 1 < args.Count ? args[++i] : throw new UsageException($"{a} needs a value"));
            if (!Known.Contains(name))
            {
                throw new UsageException($"unknown option '{name}' (see --help)");
            }

            if (!values.TryAdd(name, value))
            {
                throw new UsageException($"{name} is given twice");
            }
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);

        try
        {
            var grid = new SweepGrid
            {
                Temperatures = GridAxis.ParseDoubles("--temperature", Get("--temperature", "0.30:0.90:0.05"), 0, 2),
                TopPs = GridAxis.ParseDoubles("--top-p", Get("--top-p", "0.85,0.95"), 1e-9, 1),
                MaxTokens = GridAxis.ParseInts("--max-tokens", Get("--max-tokens", "512,1024"), 1, 1_000_000),
                RepetitionPenalties = GridAxis.ParseDoubles("--repetition-penalty", Get("--repetition-penalty", "1.0,1.05"), 1e-9, 10),
                TopKs = values.TryGetValue("--top-k", out var k) ? GridAxis.ParseInts("--top-k", k, 0, 1_000_000) : [],
            };
            return new SweepOptions
            {
                Grid = grid,
                Repeats = Int("--repeats", Get("--repeats", "1"), 1, 1000),
                SeedBase = Long("--seed-base", Get("--seed-base", "1000")),
                Concurrency = Int("--concurrency", Get("--concurrency", "16"), 1, 4096),
                Model = NonEmpty("--model", Get("--model", "deepseek-r1-test-tiny")),
                BaseUrl = Url(Get("--base-url", "http://127.0.0.1:8080")),
                ApiKey = values.GetValueOrDefault("--api-key") ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY"),
                SuitePath = values.GetValueOrDefault("--suite") ?? Path.Combine(AppContext.BaseDirectory, "suites", "default.jsonl"),
                OutDir = NonEmpty("--out", Get("--out", "sweep-out")),
                Margin = Double("--margin", Get("--margin", "0.05"), 0, 1),
                Reasoning = Get("--reasoning", "opened") switch
                {
                    "opened" => ReasoningStart.Opened,
                    "tagged" => ReasoningStart.Tagged,
                    var other => throw new UsageException($"--reasoning: '{other}' must be opened or tagged"),
                },
                Python = NonEmpty("--python", Get("--python", "python3")),
                CodeTimeout = TimeSpan.FromSeconds(Double("--code-timeout", Get("--code-timeout", "10"), 0.1, 3600)),
                RequestTimeout = TimeSpan.FromSeconds(Double("--request-timeout", Get("--request-timeout", "1800"), 1, 86_400)),
            };
        }
        catch (GridSyntaxException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static readonly HashSet<string> Known =
    [
        "--temperature", "--top-p", "--max-tokens", "--repetition-penalty", "--top-k", "--repeats", "--seed-base",
        "--concurrency", "--model", "--base-url", "--api-key", "--suite", "--out", "--margin", "--reasoning", "--python",
        "--code-timeout", "--request-timeout",
    ];

    private static int Int(string name, string s, int min, int max) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v : throw new UsageException($"{name}: '{s}' must be a whole number from {min} to {max}");

    private static long Long(string name, string s) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw new UsageException($"{name}: '{s}' is not a whole number");

    private static double Double(string name, string s, double min, double max) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v : throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{name}: '{s}' must be a number from {min} to {max}"));

    private static string NonEmpty(string name, string s) => string.IsNullOrWhiteSpace(s) ? throw new UsageException($"{name} is empty") : s;

    private static Uri Url(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : throw new UsageException($"--base-url: '{s}' is not an http(s) URL");
}
