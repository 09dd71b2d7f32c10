using System.Globalization;

namespace InferenceCluster.Scaling;

/// <summary>Command-line settings; every figure of the run follows from these and the defaults printed with it.</summary>
internal sealed record ScalingSettings
{
    public required Uri RabbitMq { get; init; }

    public required Uri Management { get; init; }

    public required string GatewayDll { get; init; }

    public required string WorkerDll { get; init; }

    /// <summary>The broker's pid file, so its CPU can be read; none = broker CPU not reported.</summary>
    public string? BrokerPidFile { get; init; }

    public string Images { get; init; } = "docs/images";

    public IReadOnlyList<int> Workers { get; init; } = [1, 2, 4, 8, 16];

    public IReadOnlyList<int> Streams { get; init; } = [10, 100, 1000];

    public IReadOnlySet<string> Scenarios { get; init; } = new HashSet<string>(All);

    /// <summary>Measured seconds per point, after <see cref="WarmupSeconds"/>.</summary>
    public double Seconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 3;

    /// <summary>Sequences one simulated worker runs at once in the scaling points (its Inference:MaxConcurrency).</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Tokens of every streamed request (min_tokens = max_tokens, so lengths do not vary).</summary>
    public int Tokens { get; init; } = 256;

    /// <summary>Requests per path in the latency comparison.</summary>
    public int LatencyRequests { get; init; } = 1000;

    public int GatewayPort { get; init; } = 18480;

    public static readonly string[] All = ["engine", "scaling", "ceiling", "messages", "gateways", "latency"];

    public const string Usage =
        "usage: InferenceCluster.Scaling --rabbitmq amqp://… --management http://127.0.0.1:PORT --gateway-dll PATH --worker-dll PATH\n" +
        "       [--broker-pid-file PATH] [--images docs/images] [--scenarios engine,scaling,gateways,ceiling,messages,latency] [--workers 1,2,4,8,16]\n" +
        "       [--streams 10,100,1000] [--seconds 10] [--warmup 3] [--batch 4] [--tokens 256] [--latency-requests 1000] [--port 18480]\n" +
        "(tools/InferenceCluster.Scaling/run.sh starts RabbitMQ and passes the first four)";

    public static ScalingSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs; got '{args[i]}'.\n{Usage}");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) => values.Remove(name, out var value) ? value
            : throw new ArgumentException($"--{name} is required.\n{Usage}");
        var settings = new ScalingSettings
        {
            RabbitMq = new Uri(Required("rabbitmq")),
            Management = new Uri(Required("management")),
            GatewayDll = Path.GetFullPath(Required("gateway-dll")),
            WorkerDll = Path.GetFullPath(Required("worker-dll")),
        };
        foreach (var (name, value) in values)
        {
            settings = name switch
            {
                "images" => settings with { Images = value },
                "broker-pid-file" => settings with { BrokerPidFile = value },
                "scenarios" => settings with { Scenarios = Scenario(value) },
                "workers" => settings with { Workers = Counts(name, value) },
                "streams" => settings with { Streams = Counts(name, value) },
                "seconds" => settings with { Seconds = Positive(name, value) },
                "warmup" => settings with { WarmupSeconds = Positive(name, value) },
                "batch" => settings with { Batch = (int)Positive(name, value) },
                "tokens" => settings with { Tokens = (int)Positive(name, value) },
                "latency-requests" => settings with { LatencyRequests = (int)Positive(name, value) },
                "port" => settings with { GatewayPort = (int)Positive(name, value) },
                _ => throw new ArgumentException($"Unknown option --{name}.\n{Usage}"),
            };
        }

        return settings;
    }

    private static HashSet<string> Scenario(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = names.Except(All).ToList();
        return unknown.Count == 0 ? names
            : throw new ArgumentException($"--scenarios: unknown {string.Join(", ", unknown)}; known: {string.Join(", ", All)}.");
    }

    private static List<int> Counts(string name, string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => (int)Positive(name, v)).ToList();

    private static double Positive(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0 ? number
            : throw new ArgumentException($"--{name} must be a positive number; got '{value}'.");
}
