using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using InferenceCluster.Inference.Models;
using InferenceCluster.Inference.Simulation;
using InferenceCluster.Inference.Text;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Hosting;

/// <summary>Builds the simulated accelerator for a model folder: its tokenizer and config are read, its weights never.</summary>
internal static partial class SimulatedEngineFactory
{
    /// <summary>The value of Inference:ExecutionProvider that selects the simulation.</summary>
    public const string Provider = "simulated";

    private static readonly string[] DescribingFiles = ["genai_config.json", "tokenizer.json", "tokenizer_config.json"];

    public static IInferenceEngine Load(InferenceOptions options, ILogger logger, TimeProvider time)
    {
        var path = InferenceEngineFactory.ModelPathOf(options);
        var folder = ModelFolder.Read(path, InferenceEngineFactory.ModelPathSetting);
        var id = InferenceEngineFactory.ModelIdOf(options, path);
        var encoder = InferenceEngineFactory.LoadEncoder(path, id);
        try
        {
            var vocabulary = SimulatedVocabulary.Build(encoder, folder.VocabSize, folder.EosTokenIds, path);
            var simulation = options.Simulation;
            var descriptor = new ModelDescriptor
            {
                Id = id,
                Revision = Revision(path, simulation),
                ContextLength = folder.MaxLength,
                Capacity = options.MaxConcurrency,
                IsReasoningModel = folder.ChatTemplate?.Contains("<think>", StringComparison.Ordinal) == true,
                BatchingMode = Provider,
                Path = path,
            };
            LogLoaded(logger, descriptor.Id, path, vocabulary.Count, simulation.DecodeBaseMilliseconds, simulation.DecodePerSequenceMilliseconds,
                simulation.PrefillPerTokenMilliseconds, Math.Min(simulation.MaxBatch, options.MaxConcurrency), simulation.KvBlocks,
                simulation.KvBlockSize, simulation.Slowdown);
            return new SimulatedInferenceEngine(descriptor, encoder, folder.VocabSize, vocabulary, simulation, time);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cached answers must not mix with a real engine's: the revision covers the files that shape the text and
    /// every simulation setting, never the weights (which the simulation does not read).
    /// </summary>
    private static string Revision(string path, SimulationOptions simulation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(Provider + "\n" + JsonSerializer.Serialize(simulation) + "\n"));
        foreach (var name in DescribingFiles)
        {
            var file = Path.Combine(path, name);
            if (File.Exists(file))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(name + "\n"));
                hash.AppendData(File.ReadAllBytes(file));
            }
        }

        return "sim-" + Convert.ToHexStringLower(hash.GetHashAndReset())[..8];
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "SIMULATED ACCELERATOR serving {ModelId} (tokenizer of {Path}, {Tokens} plain-text tokens, no weights loaded): step = {Base} ms + {PerSequence} ms x batch, prefill {Prefill} ms per prompt token, batch up to {MaxBatch}, {Blocks} KV blocks of {BlockSize} tokens, slowdown x{Slowdown}. Its text is random vocabulary.")]
    private static partial void LogLoaded(ILogger logger, string modelId, string path, int tokens, double @base, double perSequence,
        double prefill, int maxBatch, int blocks, int blockSize, double slowdown);
}
