using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace InferenceCluster.Benchmark;

/// <summary>
/// Times steps of the paged model in ONNX Runtime alone, without GenAI: what a dynamic engine step
/// costs before any scheduling, sampling or adapter work. Steps are fed as the engine feeds them:
/// each request holding the blocks its sequence fills so far (the engine takes blocks as a
/// sequence grows), the cache passed as both past and present.
/// </summary>
internal sealed class PagedGraphTimer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly int _blockSize;
    private readonly int _numBlocks;
    private readonly int _layers;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly int _vocab;
    private readonly float[][] _cache;

    public PagedGraphTimer(string modelPath, int intraOpThreads)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelPath, "genai_config.json")));
        var root = config.RootElement;
        var decoder = Setting(root, "model", "decoder");
        _blockSize = Setting(root, "engine", "dynamic_batching", "block_size").GetInt32();
        _numBlocks = Setting(root, "engine", "dynamic_batching", "num_blocks").GetInt32();
        _layers = Setting(decoder, "num_hidden_layers").GetInt32();
        _kvHeads = Setting(decoder, "num_key_value_heads").GetInt32();
        _headSize = Setting(decoder, "head_size").GetInt32();
        _vocab = Setting(root, "model", "vocab_size").GetInt32();
        _cache = Enumerable.Range(0, 2 * _layers).Select(_ => new float[_numBlocks * _blockSize * _kvHeads * _headSize]).ToArray();

        // GenAI's default gives ONNX Runtime half the logical cores, at most 16.
        var threads = intraOpThreads > 0 ? intraOpThreads : Math.Clamp(Environment.ProcessorCount / 2, 1, 16);
        using var options = new SessionOptions { IntraOpNumThreads = threads };
        _session = new InferenceSession(Path.Combine(modelPath, "model.onnx"), options);

        JsonElement Setting(JsonElement from, params string[] path)
        {
            foreach (var name in path)
            {
                if (!from.TryGetProperty(name, out from))
                {
                    throw new InvalidOperationException(
                        $"{modelPath} is not a paged model this benchmark can time: its genai_config.json has no {string.Join('.', path)}");
                }
            }

            return from;
        }
    }

    /// <summary>Best time in microseconds of one step prefilling every prompt at once.</summary>
    public double PrefillMicroseconds(IReadOnlyList<int> promptLengths) =>
        StepMicroseconds(promptLengths.Select(_ => 0).ToArray(), promptLengths.ToArray());

    /// <summary>
    /// Best time in microseconds of one decode step (a token per request) halfway through
    /// <paramref name="tokens"/> generated tokens after prompts of <paramref name="promptLengths"/>.
    /// </summary>
    public double DecodeMicroseconds(IReadOnlyList<int> promptLengths, int tokens) =>
        StepMicroseconds(promptLengths.Select(p => p + tokens / 2).ToArray(), promptLengths.Select(_ => 1).ToArray());

    public void Dispose() => _session.Dispose();

    private double StepMicroseconds(int[] past, int[] scheduled)
    {
        var n = past.Length;
        var blocks = past.Zip(scheduled, (p, s) => (p + s + _blockSize - 1) / _blockSize).ToArray();
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

        var cumulative = new int[n + 1];
        for (var r = 0; r < n; r++)
        {
            cumulative[r + 1] = cumulative[r] + scheduled[r];
        }

        var names = new List<string> { "input_ids", "cumulative_sequence_lengths", "past_sequence_lengths", "block_table", "attention_metadata" };
        var inputs = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, cumulative[n]).Select(i => (long)(i * 37 % _vocab)).ToArray(), [cumulative[n]]),
            OrtValue.CreateTensorValueFromMemory(cumulative, [n + 1]),
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
}
