using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using InferenceCluster.Benchmark;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Inference.Classic;
using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Models;

// Aggregate generated tokens per second of each path, for --requests greedy requests of exactly
// --tokens tokens each (min_tokens = max_tokens, so an early end-of-sequence cannot shorten a run).
var settings = BenchmarkSettings.Parse(args);
var config = new GenerationConfig
{
    DoSample = false,
    Temperature = 1,
    TopP = 1,
    MaxTokens = settings.Tokens,
    MinTokens = settings.Tokens,
};
var prompts = Enumerable.Range(0, settings.Requests)
    .Select(i => $"Request {i}: the history of the printing press, in a few short paragraphs.")
    .ToList();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{settings.Requests} requests x {settings.Tokens} tokens, best of {settings.Repeat}, {Environment.ProcessorCount} cores"));
var results = new List<(string Name, double TokensPerSecond)>();

await using (var dynamicEngine = await InferenceEngineFactory.LoadAsync(Options(settings.PagedPath, settings.Requests)))
{
    results.Add(("dynamic engine (adapter)", Measure(settings, () => ThroughAdapter(dynamicEngine, prompts, config))));
    var tokens = prompts.Select(p => ((GenAiInferenceEngine)dynamicEngine).Encoder.Encode(p)).ToList();
    var raw = new RawEngineDriver(settings.PagedPath, settings.Requests);
    results.Add(("dynamic engine (raw interop)", Measure(settings, () => raw.Generate(tokens, settings.Tokens))));
}

await using (var staticEngine = await InferenceEngineFactory.LoadAsync(Options(settings.StandardPath, settings.Requests)))
{
    results.Add(("static engine (adapter)", Measure(settings, () => ThroughAdapter(staticEngine, prompts, config))));
    var tokens = prompts.Select(p => ((GenAiInferenceEngine)staticEngine).Encoder.Encode(p)).ToList();
    var raw = new RawEngineDriver(settings.StandardPath, settings.Requests);
    results.Add(("static engine (raw interop)", Measure(settings, () => raw.Generate(tokens, settings.Tokens))));

    var folder = ModelFolder.Read(settings.StandardPath);
    using var classic = new ClassicRunner(settings.StandardPath, "cpu", folder.EosTokenIds);
    results.Add(("classic one-at-a-time", Measure(settings, () => tokens.Sum(t => Classic(classic, t, config)))));
    results.Add(("classic threaded", Measure(settings, () =>
        Task.WhenAll(tokens.Select(t => Task.Factory.StartNew(() => Classic(classic, t, config), TaskCreationOptions.LongRunning)))
            .GetAwaiter().GetResult().Sum())));
}

var baseline = results.Single(r => r.Name == "classic one-at-a-time").TokensPerSecond;
foreach (var (name, rate) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-30} {rate,9:0} tok/s  {rate / baseline,5:0.00}x one-at-a-time"));
}

foreach (var kind in new[] { "dynamic", "static" })
{
    var adapter = results.Single(r => r.Name == $"{kind} engine (adapter)").TokensPerSecond;
    var raw = results.Single(r => r.Name == $"{kind} engine (raw interop)").TokensPerSecond;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind} adapter overhead vs raw interop: {(raw - adapter) / raw * 100:0.0}%"));
}

static InferenceOptions Options(string path, int capacity) => new() { ModelPath = path, MaxConcurrency = capacity };

static double Measure(BenchmarkSettings settings, Func<int> run)
{
    run(); // warm-up: first runs pay allocation and kernel selection
    var best = 0.0;
    for (var i = 0; i < settings.Repeat; i++)
    {
        var watch = Stopwatch.StartNew();
        var tokens = run();
        best = Math.Max(best, tokens / watch.Elapsed.TotalSeconds);
        if (tokens != settings.Requests * settings.Tokens)
        {
            throw new InvalidOperationException($"expected {settings.Requests * settings.Tokens} tokens, got {tokens}");
        }
    }

    return best;
}

static int ThroughAdapter(IInferenceEngine engine, IReadOnlyList<string> prompts, GenerationConfig config)
{
    return Task.WhenAll(prompts.Select(async (prompt, i) =>
    {
        var count = 0;
        await foreach (var e in engine.GenerateAsync(new GenerationRequest { RequestId = $"bench-{i}", Prompt = prompt, Config = config }))
        {
            if (e is TokenGenerated)
            {
                count++;
            }
        }

        return count;
    })).GetAwaiter().GetResult().Sum();
}

static int Classic(ClassicRunner runner, int[] prompt, GenerationConfig config)
{
    var output = Channel.CreateUnbounded<PathOutput>();
    runner.Execute(new ClassicJob("bench", prompt, config, output.Writer, CancellationToken.None, () => { }));
    var count = 0;
    while (output.Reader.TryRead(out var item))
    {
        if (item is PathToken)
        {
            count++;
        }
    }

    return count;
}
