using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.Scaling.Scenarios;

/// <summary>The baseline of the latency comparison: the same simulated engine called in this process, no HTTP, no bus.</summary>
internal static class DirectEngineLoad
{
    public static async Task<LoadResult> RunAsync(IInferenceEngine engine, int streams, int requests, int tokens)
    {
        var left = requests;
        var start = Stopwatch.GetTimestamp();
        var loops = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var samples = new List<RequestSample>();
            ChatMessage[] messages = [new ChatMessage("user", $"Stream {i}: tell me about the history of the printing press.")];
            var config = new GenerationConfig { DoSample = true, Temperature = 0.7, TopP = 0.95, MaxTokens = tokens, MinTokens = tokens };
            while (Interlocked.Decrement(ref left) >= 0)
            {
                var started = Stopwatch.GetTimestamp();
                long first = 0;
                var generated = 0;
                await foreach (var e in engine.GenerateAsync($"direct-{i}", messages, prompt: null, config).ConfigureAwait(false))
                {
                    if (e is TokenGenerated && generated++ == 0)
                    {
                        first = Stopwatch.GetTimestamp();
                    }
                }

                samples.Add(new RequestSample(started, first, Stopwatch.GetTimestamp(), generated, null));
            }

            return samples;
        })).ToList();
        var all = await Task.WhenAll(loops).ConfigureAwait(false);
        return new LoadResult(all.SelectMany(s => s).ToList(), start, Stopwatch.GetTimestamp());
    }
}
