using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace InferenceCluster.Benchmark;

/// <summary>
/// Times one decode step of the paged model in ONNX Runtime alone, without GenAI: what a dynamic
/// engine step costs before any scheduling, sampling or adapter work. The step is fed as the engine
/// feeds it: one token per request, each request holding the blocks its sequence fills so far
/// (the engine takes blocks as a sequence grows), the cache passed as both past and present.
/// </summary>
internal sealed class PagedGraphFloor : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _blockSize;
    private readonly int _numBlocks;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly int _vocab;
    private readonly float[][] _cache;

    public PagedGraphFloor(string modelPath, int intraOpThreads)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelPath, "genai_config.json")));
        var model = config.RootElement.GetProperty("model");
        var decoder = model.GetProperty("decoder");
        if (!config.RootElement.TryGetProperty("engine", out var engine) || !engine.TryGetProperty("dynamic_batching", out var batching))
        {
            throw new InvalidOperationException($"{modelPath} is not a paged model: its genai_config.json has no engine.dynamic_batching");
        }

        _blockSize = batching.GetProperty("block_size").GetInt32();
        _numBlocks = batching.GetProperty("num_blocks").GetInt32();
        _layers = decoder.GetProperty("num_hidden_layers").GetInt32();
        _kvHeads = decoder.GetProperty("num_key_value_heads").GetInt32();
        _headSize = decoder.GetProperty("head_size").GetInt32();
        _vocab = model.GetProperty("vocab_size").GetInt32();
        _cache = Enumerable.Range(0, 2 * _layers).Select(_ => new float[_numBlocks * _blockSize * _kvHeads * _headSize]).ToArray();

        // GenAI's default gives ONNX Runtime half the logical cores.
        using var options = new SessionOptions { IntraOpNumThreads = intraOpThreads > 0 ? intraOpThreads : Math.Max(1, Environment.ProcessorCount / 2) };
        _session = new InferenceSession(Path.Combine(modelPath, "model.onnx"), options);
    }

    /// <summary>
    /// Best time in microseconds of one decode step for requests whose prompts are
    /// <paramref name="promptLengths"/>, halfway through <paramref name="tokens"/> generated tokens.
    /// </summary>
    public double DecodeStepMicroseconds(IReadOnlyList<int> promptLengths, int tokens)
    {
        var n = promptLengths.Count;
        var past = promptLengths.Select(p => p + tokens / 2).ToArray();
        var blocks = past.Select(p => (p + 1 + _blockSize - 1) / _blockSize).ToArray();
        var width = blocks.Max();
        if (blocks.Sum() > _numBlocks)
        {
            throw new InvalidOperationException($"{n} requests need {blocks.Sum()} cache blocks; the model has {_numBlocks}");
        }

        var table = new int[n * width];
        Array.Fill(table, -1);
        var next = 0;
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < blocks[r]; c++)
            {
                table[r * width + c] = next++;
            }
        }

        var names = new List<string> { "input_ids", "cumulative_sequence_lengths", "past_sequence_lengths", "block_table", "attention_metadata" };
        var inputs = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, n).Select(i => (long)(i * 37 % _vocab)).ToArray(), [n]),
            OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, n + 1).ToArray(), [n + 1]),
            OrtValue.CreateTensorValueFromMemory(past, [n]),
            OrtValue.CreateTensorValueFromMemory(table, [n, width]),
            OrtValue.CreateTensorValueFromMemory(new int[3], [3]),
        };
        var outputNames = new List<string> { "logits" };
        var outputs = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(new float[n * _vocab], [n, _vocab]) };
        for (var layer = 0; layer < _layers; layer++)
        {
            foreach (var (kind, index) in new[] { ("key", 2 * layer), ("value", 2 * layer + 1) })
            {
                var cache = OrtValue.CreateTensorValueFromMemory(_cache[index], [_numBlocks, _blockSize, _kvHeads, _headSize]);
                names.Add($"past_key_values.{layer}.{kind}");
                inputs.Add(cache);
                outputNames.Add($"present.{layer}.{kind}");
                outputs.Add(cache);
            }
        }

        try
        {
            using var run = new RunOptions();
            var best = double.MaxValue;
            for (var round = 0; round < 6; round++)
            {
                var watch = Stopwatch.StartNew();
                var steps = 0;
                do
                {
                    _session.Run(run, names, inputs, outputNames, outputs);
                    steps++;
                }
                while (watch.Elapsed < TimeSpan.FromMilliseconds(200));

                // The first round is a warm-up.
                if (round > 0)
                {
                    best = Math.Min(best, watch.Elapsed.TotalMicroseconds / steps);
                }
            }

            return best;
        }
        finally
        {
            foreach (var value in inputs.Concat(outputs).Distinct())
            {
                value.Dispose();
            }
        }
    }

    public void Dispose() => _session.Dispose();
}
