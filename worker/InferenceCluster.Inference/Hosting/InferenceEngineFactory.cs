using System.Text.Json.Nodes;
using InferenceCluster.Inference.Classic;
using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Models;
using InferenceCluster.Inference.Simulation;
using InferenceCluster.Inference.Telemetry;
using InferenceCluster.Inference.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Hosting;

/// <summary>Loads a model folder into a ready <see cref="IInferenceEngine"/>.</summary>
public static partial class InferenceEngineFactory
{
    /// <summary>
    /// Requests GenAI's static batching runs in one engine step, whatever the configured batch size:
    /// its scheduler fixes it (<c>static_batch_size</c> in <c>StaticBatchScheduler::Schedule</c>), and
    /// with 0.18.0 no step of a static engine returns more than 4 tokens (docs/benchmarks.md).
    /// </summary>
    internal const int StaticBatchLimit = 4;

    /// <summary>The setting that names the model folder, for errors about it.</summary>
    internal const string ModelPathSetting = "Inference:ModelPath";

    /// <summary>The model folder <c>Inference:ModelPath</c> names, full; the bundled test model when it names none.</summary>
    internal static string ModelPathOf(InferenceOptions options) =>
        string.IsNullOrWhiteSpace(options.ModelPath) ? TestModel.PagedPath : Path.GetFullPath(options.ModelPath);

    /// <summary>The id the model is served under: <c>Inference:ModelId</c>, else the test model's, else the folder's name.</summary>
    internal static string ModelIdOf(InferenceOptions options, string path) =>
        !string.IsNullOrWhiteSpace(options.ModelId) ? options.ModelId
            : TestModel.IsTestModel(path) ? TestModel.Id : new DirectoryInfo(path).Name;

    /// <summary>Loads the model, starts its engine owner thread and returns the engine.</summary>
    public static Task<IInferenceEngine> LoadAsync(InferenceOptions options, ILoggerFactory? loggerFactory = null) =>
        LoadAsync(options, loggerFactory, beforeClassicLoad: null);

    /// <summary>As above; <c>beforeClassicLoad</c> runs where the classic path's model is about to load (tests hold it there).</summary>
    internal static async Task<IInferenceEngine> LoadAsync(InferenceOptions options, ILoggerFactory? loggerFactory, Action? beforeClassicLoad)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("InferenceCluster.Inference");
        if (options.ExecutionProvider == SimulatedEngineFactory.Provider)
        {
            return SimulatedEngineFactory.Load(options, logger, TimeProvider.System);
        }

        var path = ModelPathOf(options);
        var folder = ModelFolder.Read(path, ModelPathSetting);
        var revision = ModelRevision.Compute(path);
        var overlay = EngineOverlay(folder.DynamicBatching, options.MaxConcurrency, options.IntraOpThreads);
        var isTest = TestModel.IsTestModel(path);
        var id = ModelIdOf(options, path);

        // Before the engine exists: a classic folder or a tokenizer refused here leaves no engine thread behind to stop
        // while the process exits.
        var classicPath = options.EnableClassicPath ? ClassicPath(options, folder, isTest) : null;
        var encoder = LoadEncoder(path, id);
        EngineLoop loop;
        try
        {
            loop = await EngineLoop.StartAsync(
                () => NativeEngine.Create(path, options.ExecutionProvider, overlay, options.EventBufferCapacity),
                options.NoProgressTimeout,
                loggerFactory.CreateLogger<EngineLoop>(),
                new EngineMetrics(id, folder.DynamicBatching, folder.KvBlockSize, folder.KvBlocks)).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            encoder.Dispose();
            if (IsGenAiError(error))
            {
                throw ModelLoadException.Wrap(error, ModelPathSetting, path, id, "model", folderFault: false);
            }

            throw;
        }

        var capabilities = loop.Capabilities;
        var context = capabilities.MaxRequestLength > 0
            ? (int)Math.Min(folder.MaxLength, capabilities.MaxRequestLength)
            : folder.MaxLength;
        var descriptor = new ModelDescriptor
        {
            Id = id,
            Revision = revision,
            ContextLength = context,
            Capacity = options.MaxConcurrency,
            IsReasoningModel = folder.ChatTemplate?.Contains("<think>", StringComparison.Ordinal) == true,
            BatchingMode = folder.DynamicBatching ? "dynamic" : "static",
            Path = path,
        };
        var planner = new RequestPlanner(encoder, context, folder.VocabSize, folder.DynamicBatching, classicPath is not null);
        var classic = new ClassicRunner(classicPath ?? path, options.ExecutionProvider, folder.EosTokenIds, SessionOverlay(options.IntraOpThreads),
            beforeClassicLoad);
        LogLoaded(logger, descriptor.Id, descriptor.Revision, descriptor.BatchingMode, descriptor.ContextLength, descriptor.Capacity,
            options.ExecutionProvider, path);
        if (isTest)
        {
            LogTestModel(logger, path);
        }

        LogBatching(logger, folder, options.MaxConcurrency);

        return new GenAiInferenceEngine(descriptor, loop, classic, encoder, planner);
    }

    /// <summary>
    /// The prompt encoder over the folder's tokenizer. The tokenizer reads the folder's files and nothing else, so GenAI's
    /// refusal of it is the folder's fault, whatever its message says.
    /// </summary>
    internal static PromptEncoder LoadEncoder(string path, string id)
    {
        try
        {
            return new PromptEncoder(new Tokenizer(path));
        }
        catch (Exception error) when (IsGenAiError(error))
        {
            throw ModelLoadException.Wrap(error, ModelPathSetting, path, id, "tokenizer", folderFault: true);
        }
    }

    private static bool IsGenAiError(Exception error) => error is GenAiException or OnnxRuntimeGenAIException;

    /// <summary>
    /// The folder the classic Generator loads: the model itself when it is a standard layout; for a
    /// paged model a configured (or, for the test model, bundled) standard layout of the same weights.
    /// </summary>
    private static string? ClassicPath(InferenceOptions options, ModelFolder folder, bool isTest)
    {
        if (!folder.DynamicBatching)
        {
            return folder.Path;
        }

        var path = !string.IsNullOrWhiteSpace(options.ClassicModelPath) ? Path.GetFullPath(options.ClassicModelPath)
            : isTest ? TestModel.StandardPath : null;
        if (path is null)
        {
            return null;
        }

        var classic = ModelFolder.Read(path, "Inference:ClassicModelPath");
        if (classic.DynamicBatching || classic.VocabSize != folder.VocabSize)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(InferenceOptions), [
                $"Inference:ClassicModelPath '{path}' must be a standard (non-paged) layout of the served model with the same vocabulary."]);
        }

        return path;
    }

    /// <summary>
    /// What the engine's model takes over its genai_config: the batch sized to the configured concurrency
    /// (in the model's own batching section) and, when set, the threads of one model run.
    /// </summary>
    internal static string EngineOverlay(bool dynamicBatching, int maxConcurrency, int intraOpThreads)
    {
        var overlay = SessionOptions(intraOpThreads);
        overlay["engine"] = new JsonObject
        {
            [dynamicBatching ? "dynamic_batching" : "static_batching"] = new JsonObject { ["max_batch_size"] = maxConcurrency },
        };
        return overlay.ToJsonString();
    }

    /// <summary>What the classic path's model takes over its genai_config; null when nothing is set.</summary>
    internal static string? SessionOverlay(int intraOpThreads) =>
        intraOpThreads > 0 ? SessionOptions(intraOpThreads).ToJsonString() : null;

    private static JsonObject SessionOptions(int intraOpThreads) => intraOpThreads > 0
        ? new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["decoder"] = new JsonObject { ["session_options"] = new JsonObject { ["intra_op_num_threads"] = intraOpThreads } },
            },
        }
        : [];

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Loaded model {ModelId} revision {Revision}: {BatchingMode} batching, context {ContextLength}, capacity {Capacity}, provider {Provider}, from {Path}")]
    private static partial void LogLoaded(ILogger logger, string modelId, string revision, string batchingMode, int contextLength,
        int capacity, string provider, string path);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "SERVING THE TINY TEST MODEL from {Path}: a half-million-parameter model that answers only its small curriculum (models/test-model/README.md). Set Inference:ModelPath to a real model folder.")]
    private static partial void LogTestModel(ILogger logger, string path);

    /// <summary>Says at load what the folder's layout means for concurrency, so an operator sizing workers knows.</summary>
    private static void LogBatching(ILogger logger, ModelFolder folder, int capacity)
    {
        if (folder.DynamicBatching)
        {
            LogDynamicBatching(logger, capacity, folder.KvBlocks, folder.KvBlockSize, folder.KvBlocks * folder.KvBlockSize);
        }
        else if (capacity > StaticBatchLimit)
        {
            LogStaticBatchLimit(logger, StaticBatchLimit, capacity);
        }
        else
        {
            LogStaticBatching(logger, capacity);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dynamic (continuous) batching, a paged model: up to {Capacity} requests (Inference:MaxConcurrency) share every engine step, and a new request joins at the next step. KV cache: {Blocks} blocks of {BlockSize} tokens ({Tokens} tokens for all requests together; 0 = sized by GenAI).")]
    private static partial void LogDynamicBatching(ILogger logger, int capacity, int blocks, int blockSize, int tokens);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Static batching, a standard model: up to {Capacity} requests (Inference:MaxConcurrency) per engine step; a new batch forms only when the resident one has finished, and seeded sampling runs on the classic path (a Generator per request) outside the batch. For continuous batching build a paged model (docs/models.md).")]
    private static partial void LogStaticBatching(ILogger logger, int capacity);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Static batching runs at most {Limit} requests per engine step (fixed by ONNX Runtime GenAI): of Inference:MaxConcurrency {Capacity}, the others wait for a batch to finish. A paged model (engine.dynamic_batching; docs/models.md) batches all of them.")]
    private static partial void LogStaticBatchLimit(ILogger logger, int limit, int capacity);
}
