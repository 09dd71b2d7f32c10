using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Benchmark;

/// <summary>
/// Drives a GenAI engine straight through the interop layer, with no adapter, channels or text
/// decoding: the floor the adapter's overhead is measured against. Runs on its own owner thread.
/// </summary>
internal sealed class RawEngineDriver(string modelPath, int capacity)
{
    public int Generate(IReadOnlyList<int[]> prompts, int tokens)
    {
        var generated = 0;
        var thread = new Thread(() => generated = RunOnOwnerThread(prompts, tokens));
        thread.Start();
        thread.Join();
        return generated;
    }

    private int RunOnOwnerThread(IReadOnlyList<int[]> prompts, int tokens)
    {
        var overlay = Inference.Hosting.InferenceEngineFactory.BatchSizeOverlay(IsDynamic(modelPath), capacity);
        using var engine = NativeEngine.Create(modelPath, "cpu", overlay, 1024);
        var settings = new TurnSettings { MaxGeneratedTokens = tokens, MinGeneratedTokens = tokens, DoSample = false };
        var open = new HashSet<NativeRequest>();
        foreach (var prompt in prompts)
        {
            var request = engine.CreateRequest(prompt.Length + tokens);
            request.BeginTurn(settings, prompt);
            open.Add(request);
        }

        var events = new List<EngineEvent>();
        var generated = 0;
        while (open.Count > 0)
        {
            events.Clear();
            engine.Run(events);
            foreach (var e in events)
            {
                if (e.HasToken)
                {
                    generated++;
                }

                if (e.IsTurnFinished && e.Request is { } finished)
                {
                    open.Remove(finished);
                    engine.Release(finished);
                }
            }
        }

        return generated;
    }

    private static bool IsDynamic(string path) =>
        File.ReadAllText(Path.Combine(path, "genai_config.json")).Contains("\"dynamic_batching\"", StringComparison.Ordinal);
}
