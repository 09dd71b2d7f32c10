using InferenceCluster.Inference.Hosting;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// The paged test model run step by step in ONNX Runtime, fed the way GenAI's dynamic engine feeds
/// it: mixed prefill and decode, chunked prompts, blocks reserved for a whole sequence before they
/// are written, block-table rows padded with -1. Blocks handed over by the engine may hold
/// uninitialised memory, NaN included, so the graph must never read a slot that was not written;
/// and batching, chunking and block layout must not change a request's logits.
/// </summary>
public sealed class PagedGraphTests : IDisposable
{
    private const int BlockSize = 16;
    private const int NumBlocks = 12;
    private const int KvHeads = 2;
    private const int HeadSize = 16;
    private const int Layers = 4;
    private const int Vocab = 512;

    // Rows name every block a request will use from its first step on, as the engine's rows name a
    // chunked prompt's blocks before they are written. Block 11 (what a -1 padding entry wraps to)
    // and the blocks no request owns are never written.
    private static readonly int[][] RequestBlocks = [[9, 2], [4, 7, 3], [5]];

    // Per step, (request, tokens scheduled). A: 5-token prompt, a decode, a 10-token chunk ending on
    // the last slot of its first block, a decode opening its second block. B: a 19-token prompt over
    // two blocks, a decode, a 14-token chunk that starts mid-block and opens its third block (so
    // whether a step opens a block cannot be told from its past length alone), a decode. C joins in
    // the last step with a one-block row padded with -1.
    private static readonly (int Request, int Count)[][] Schedule =
    [
        [(0, 5), (1, 19)],
        [(0, 1), (1, 1)],
        [(0, 10), (1, 14)],
        [(0, 1), (1, 1), (2, 3)],
    ];

    private readonly InferenceSession _session = new(Path.Combine(TestModel.PagedPath, "model.onnx"));

    public static TheoryData<float> Poisons => new() { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -3.5f };

    [Theory]
    [MemberData(nameof(Poisons))]
    public void Run_CacheStartsPoisoned_SameLogitsAsZeroedCache(float poison)
    {
        var clean = RunSchedule(0f);
        var poisoned = RunSchedule(poison);

        Assert.All(clean.SelectMany(l => l), v => Assert.True(float.IsFinite(v), "clean run produced a non-finite logit"));
        Assert.Equal(clean.Count, poisoned.Count);
        for (var step = 0; step < clean.Count; step++)
        {
            Assert.Equal(Bits(clean[step]), Bits(poisoned[step]));
        }
    }

    [Fact]
    public void Run_InBatchedChunkedSteps_SameLogitsAsEachRequestsWholePrefillAlone()
    {
        var stepped = RunSchedule(float.NaN);
        var seen = new int[RequestBlocks.Length];
        for (var step = 0; step < Schedule.Length; step++)
        {
            for (var row = 0; row < Schedule[step].Length; row++)
            {
                var (request, count) = Schedule[step][row];
                seen[request] += count;

                // The request's whole sequence so far, prefilled at once into a fresh cache laid out
                // in other blocks: its last token's logits must be the same bits.
                var alone = Step([Tokens(request, 0, seen[request])], [0], [[0, 1, 6]], NewCache(float.NaN), out _);
                Assert.Equal(Bits(alone), Bits(stepped[step].AsSpan(row * Vocab, Vocab).ToArray()));
            }
        }
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Runs <see cref="Schedule"/> from a cache filled with <paramref name="fill"/>; returns each step's logits.</summary>
    private List<float[]> RunSchedule(float fill)
    {
        var cache = NewCache(fill);
        var past = new int[RequestBlocks.Length];
        var logits = new List<float[]>();
        foreach (var step in Schedule)
        {
            var tokens = step.Select(s => Tokens(s.Request, past[s.Request], s.Count)).ToArray();
            var stepPast = step.Select(s => past[s.Request]).ToArray();
            logits.Add(Step(tokens, stepPast, step.Select(s => RequestBlocks[s.Request]).ToArray(), cache, out cache));
            foreach (var (request, count) in step)
            {
                past[request] += count;
            }
        }

        return logits;
    }

    private float[] Step(int[][] tokens, int[] past, int[][] blocks, DenseTensor<float>[] cache, out DenseTensor<float>[] present)
    {
        using var results = _session.Run(Inputs(tokens, past, blocks, cache));
        var byName = results.ToDictionary(r => r.Name);
        present = new DenseTensor<float>[2 * Layers];
        for (var layer = 0; layer < Layers; layer++)
        {
            present[2 * layer] = Copy(byName[$"present.{layer}.key"].AsTensor<float>());
            present[2 * layer + 1] = Copy(byName[$"present.{layer}.value"].AsTensor<float>());
        }

        var logits = byName["logits"].AsTensor<float>().ToArray();
        Assert.Equal(tokens.Length * Vocab, logits.Length);
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

    /// <summary>Tokens <paramref name="start"/> to start + count of request <paramref name="request"/>'s fixed sequence.</summary>
    private static int[] Tokens(int request, int start, int count) =>
        Enumerable.Range(start, count).Select(i => (i * 37 + request * 101 + 7) % 496).ToArray();

    private static DenseTensor<float>[] NewCache(float fill) => Enumerable.Range(0, 2 * Layers).Select(_ =>
    {
        var data = new float[NumBlocks * BlockSize * KvHeads * HeadSize];
        Array.Fill(data, fill);
        return new DenseTensor<float>(data, [NumBlocks, BlockSize, KvHeads, HeadSize]);
    }).ToArray();

    private static DenseTensor<float> Copy(Tensor<float> tensor) =>
        new(tensor.ToArray(), [NumBlocks, BlockSize, KvHeads, HeadSize]);

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
