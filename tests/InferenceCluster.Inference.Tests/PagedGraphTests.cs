using InferenceCluster.Inference.Hosting;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// The paged test model run step by step in ONNX Runtime, as GenAI's dynamic engine feeds it.
/// Blocks handed over by the engine may hold uninitialised memory, NaN included, so the graph must
/// never read a cache slot that was not written: its logits may not depend on what the cache held
/// before. Runs that start from caches filled with zeros, NaN, infinities and huge values must give
/// the same bits.
/// </summary>
public sealed class PagedGraphTests : IDisposable
{
    private const int BlockSize = 16;
    private const int NumBlocks = 12;
    private const int KvHeads = 2;
    private const int HeadSize = 16;
    private const int Layers = 2;
    private const int Vocab = 512;

    private readonly InferenceSession _session = new(Path.Combine(TestModel.PagedPath, "model.onnx"));

    public static TheoryData<float> Poisons => new() { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -3.5f };

    [Theory]
    [MemberData(nameof(Poisons))]
    public void Run_CacheStartsPoisoned_SameLogitsAsZeroedCache(float poison)
    {
        var clean = RunSteps(0f);
        var poisoned = RunSteps(poison);

        Assert.All(clean.SelectMany(l => l), v => Assert.True(float.IsFinite(v), "clean run produced a non-finite logit"));
        Assert.Equal(clean.Count, poisoned.Count);
        for (var step = 0; step < clean.Count; step++)
        {
            Assert.Equal(clean[step], poisoned[step]);
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// Three engine steps over two requests with scattered, out-of-order blocks: a mixed prefill
    /// (A: 5 tokens in one block, B: 19 tokens over two), a decode of both, then a 13-token chunk for
    /// A that fills its first block and opens a second one while B decodes. Returns each step's logits.
    /// </summary>
    private List<float[]> RunSteps(float fill)
    {
        var cache = Enumerable.Range(0, 2 * Layers).Select(_ => Filled(fill)).ToArray();
        int[] a = [9, 2], b = [4, 11];
        var steps = new (int[][] Tokens, int[] Past, int[][] Blocks)[]
        {
            ([Ids(5, 1), Ids(19, 2)], [0, 0], [[a[0]], b]),
            ([Ids(1, 3), Ids(1, 4)], [5, 19], [[a[0]], b]),
            ([Ids(13, 5), Ids(1, 6)], [6, 20], [a, b]),
        };

        var logits = new List<float[]>();
        foreach (var (tokens, past, blocks) in steps)
        {
            using var results = _session.Run(Inputs(tokens, past, blocks, cache));
            var byName = results.ToDictionary(r => r.Name);
            logits.Add(byName["logits"].AsTensor<float>().ToArray());
            for (var layer = 0; layer < Layers; layer++)
            {
                cache[2 * layer] = Copy(byName[$"present.{layer}.key"].AsTensor<float>());
                cache[2 * layer + 1] = Copy(byName[$"present.{layer}.value"].AsTensor<float>());
            }
        }

        Assert.Equal(2 * Vocab, logits[0].Length);
        return logits;
    }

    private static List<NamedOnnxValue> Inputs(int[][] tokens, int[] past, int[][] blocks, DenseTensor<float>[] cache)
    {
        var ids = tokens.SelectMany(t => t).Select(t => (long)t).ToArray();
        var cumulative = new int[tokens.Length + 1];
        for (var i = 0; i < tokens.Length; i++)
        {
            cumulative[i + 1] = cumulative[i] + tokens[i].Length;
        }

        // The engine pads each request's block-table row with -1.
        var width = blocks.Max(r => r.Length);
        var table = blocks.SelectMany(r => r.Concat(Enumerable.Repeat(-1, width - r.Length))).ToArray();
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, [ids.Length])),
            NamedOnnxValue.CreateFromTensor("cumulative_sequence_lengths", new DenseTensor<int>(cumulative, [cumulative.Length])),
            NamedOnnxValue.CreateFromTensor("past_sequence_lengths", new DenseTensor<int>(past, [past.Length])),
            NamedOnnxValue.CreateFromTensor("block_table", new DenseTensor<int>(table, [blocks.Length, width])),
            NamedOnnxValue.CreateFromTensor("attention_metadata", new DenseTensor<int>(new int[3], [3])),
        };
        for (var layer = 0; layer < Layers; layer++)
        {
            inputs.Add(NamedOnnxValue.CreateFromTensor($"past_key_values.{layer}.key", cache[2 * layer]));
            inputs.Add(NamedOnnxValue.CreateFromTensor($"past_key_values.{layer}.value", cache[2 * layer + 1]));
        }

        return inputs;
    }

    private static int[] Ids(int count, int seed) => Enumerable.Range(0, count).Select(i => (i * 37 + seed * 101) % 496).ToArray();

    private static DenseTensor<float> Filled(float value)
    {
        var data = new float[NumBlocks * BlockSize * KvHeads * HeadSize];
        Array.Fill(data, value);
        return new DenseTensor<float>(data, [NumBlocks, BlockSize, KvHeads, HeadSize]);
    }

    private static DenseTensor<float> Copy(Tensor<float> tensor) =>
        new(tensor.ToArray(), [NumBlocks, BlockSize, KvHeads, HeadSize]);
}
