using System.Collections.Concurrent;
using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Benchmark;

/// <summary>
/// Drives a GenAI engine straight through the interop layer, with no adapter, channels or text
/// decoding: the floor the adapter's overhead is measured against. The engine lives on its own
/// owner thread for the driver's lifetime, like the adapter's.
/// </summary>
internal sealed class RawEngineDriver : IDisposable
{
    private readonly BlockingCollection<Action<NativeEngine>> _work = [];
    private readonly Thread _owner;

    public RawEngineDriver(string modelPath, int capacity)
    {
        var overlay = Inference.Hosting.InferenceEngineFactory.BatchSizeOverlay(IsDynamic(modelPath), capacity);
        _owner = new Thread(() =>
        {
            using var engine = NativeEngine.Create(modelPath, "cpu", overlay, 1024);
            foreach (var work in _work.GetConsumingEnumerable())
            {
                work(engine);
            }
        });
        _owner.Start();
    }

    public int Generate(IReadOnlyList<int[]> prompts, int tokens)
    {
        var done = new TaskCompletionSource<int>();
        _work.Add(engine =>
        {
            try
            {
                done.SetResult(RunOnOwnerThread(engine, prompts, tokens));
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _owner.Join();
        _work.Dispose();
    }

    private static int RunOnOwnerThread(NativeEngine engine, IReadOnlyList<int[]> prompts, int tokens)
    {
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
