using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Interop;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Benchmark;

/// <summary>
/// Drives a GenAI engine straight through the interop layer, with no adapter or channels: the floor
/// the adapter's overhead is measured against. Text decoding is optional, since the adapter decodes
/// every token and a floor without it would charge the tokenizer to the adapter. The engine lives
/// on its own owner thread for the driver's lifetime, like the adapter's.
/// </summary>
internal sealed class RawEngineDriver : IDisposable
{
    private readonly BlockingCollection<Action<NativeEngine>> _work = [];
    private readonly Thread _owner;

    public RawEngineDriver(string modelPath, int capacity, int intraOpThreads)
    {
        var overlay = Inference.Hosting.InferenceEngineFactory.EngineOverlay(IsDynamic(modelPath), capacity, intraOpThreads);
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

    /// <summary>Generates; with <paramref name="decoder"/>, each token is also decoded to text by its request's stream.</summary>
    public int Generate(IReadOnlyList<int[]> prompts, int tokens, Func<TokenizerStream>? decoder = null)
    {
        var done = new TaskCompletionSource<int>();
        _work.Add(engine =>
        {
            try
            {
                done.SetResult(RunOnOwnerThread(engine, prompts, tokens, decoder));
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

    private static int RunOnOwnerThread(NativeEngine engine, IReadOnlyList<int[]> prompts, int tokens, Func<TokenizerStream>? decoder)
    {
        var config = new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = tokens, MinTokens = tokens };
        var open = new Dictionary<NativeRequest, TokenizerStream?>();
        foreach (var prompt in prompts)
        {
            var request = engine.CreateRequest(prompt.Length + tokens);
            request.BeginTurn(config, withStops: false, prompt);
            open.Add(request, decoder?.Invoke());
        }

        var events = new List<EngineEvent>();
        var generated = 0;
        var text = 0;
        while (open.Count > 0)
        {
            events.Clear();
            engine.Run(events);
            foreach (var e in events)
            {
                if (e.HasToken)
                {
                    generated++;
                    if (e.Request is { } owner && open.GetValueOrDefault(owner) is { } stream)
                    {
                        text += stream.Decode(e.Token).Length;
                    }
                }

                if (e.IsTurnFinished && e.Request is { } finished && open.Remove(finished, out var finishedStream))
                {
                    finishedStream?.Dispose();
                    engine.Release(finished);
                }
            }
        }

        // Decoded text is only counted so the decoding cannot be optimised away.
        GC.KeepAlive(text);
        return generated;
    }

    private static bool IsDynamic(string path) =>
        File.ReadAllText(Path.Combine(path, "genai_config.json")).Contains("\"dynamic_batching\"", StringComparison.Ordinal);
}
