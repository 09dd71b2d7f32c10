using InferenceCluster.Contracts;
using InferenceCluster.Inference.Output;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Classic;

/// <summary>
/// The classic path: one GenAI Generator per request on its own thread (Generators of one Model
/// are thread-safe). It serves what the engines cannot: log-probabilities, which need the raw
/// logits of every step, and seeded sampling on a static-batching model. The Model is loaded on
/// first use so a worker that never needs this path does not hold the weights twice; that load is one long call with
/// no progress, so only requests past it count as running (<see cref="Running"/>).
/// </summary>
internal sealed class ClassicRunner : IDisposable
{
    private readonly Lazy<Model> _model;
    private readonly IReadOnlySet<int> _eosTokens;
    private long _progress;
    private int _running;

    /// <summary>
    /// Loads nothing yet; <c>configOverlay</c> is JSON laid over the genai_config when the model loads, and
    /// <c>beforeLoad</c> runs on the loading thread just before it (tests hold the load there).
    /// </summary>
    public ClassicRunner(
        string modelPath, string executionProvider, IReadOnlySet<int> eosTokens, string? configOverlay = null, Action? beforeLoad = null)
    {
        _eosTokens = eosTokens;
        _model = new Lazy<Model>(
            () =>
            {
                beforeLoad?.Invoke();
                return LoadModel(modelPath, executionProvider, configOverlay);
            },
            LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Generator steps that came back, over every request; see <see cref="IInferenceEngine.Progress"/>.</summary>
    public long Progress => Interlocked.Read(ref _progress);

    /// <summary>
    /// Requests running past the model's load. A request waiting on the load, which moves no count however long it takes
    /// (a large model, a copy to a device), is not running for the engine watchdog, which would otherwise end each
    /// worker in turn at the first classic request, the request going to another worker that has not loaded its copy
    /// either.
    /// </summary>
    public int Running => Volatile.Read(ref _running);

    public void Start(ClassicJob job) =>
        Task.Factory.StartNew(() => Execute(job), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs a job on the calling thread (benchmarks measure the path without scheduling).</summary>
    public void Execute(ClassicJob job)
    {
        var generated = 0;
        var running = false;
        var finished = new PathFinished(PathFinishReason.Failed, job.PromptTokens.Length, 0, 0, "not started");
        try
        {
            finished = Generate(job, ref generated, ref running);
        }
        catch (Exception ex)
        {
            finished = new PathFinished(PathFinishReason.Failed, job.PromptTokens.Length, generated, 0, ex.Message);
        }
        finally
        {
            if (running)
            {
                Interlocked.Decrement(ref _running);
            }

            // The generator is gone: its capacity comes back before the reader hears the end, as the engine loop
            // releases a session before it wakes its reader, so a caller that saw the end finds the permit returned.
            job.Output.Complete(finished);
            job.OnReleased();
            job.Output.PublishAndWakeOnPool();
        }
    }

    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }

    private PathFinished Generate(ClassicJob job, ref int generated, ref bool running)
    {
        var config = job.Config;
        var prompt = job.PromptTokens.Length;
        var model = _model.Value;
        Interlocked.Increment(ref _running);
        running = true;
        using var parameters = new GeneratorParams(model);
        Configure(parameters, config, prompt);
        using var generator = new Generator(model, parameters);

        // The Generator is made, and the prompt is prefilled in one call: each came back, so each counts.
        Interlocked.Increment(ref _progress);
        generator.AppendTokens(job.PromptTokens);
        Interlocked.Increment(ref _progress);
        while (true)
        {
            if (job.Cancellation.IsCancellationRequested)
            {
                return new PathFinished(PathFinishReason.Cancelled, prompt, generated, 0);
            }

            if (generated >= config.MaxTokens)
            {
                return new PathFinished(PathFinishReason.Length, prompt, generated, 0);
            }

            if (generator.IsDone())
            {
                return new PathFinished(PathFinishReason.Length, prompt, generated, 0);
            }

            generator.GenerateNextToken();
            Interlocked.Increment(ref _progress);
            var token = generator.GetNextTokens()[0];
            if (_eosTokens.Contains(token))
            {
                return new PathFinished(PathFinishReason.EndOfSequence, prompt, generated, 0, TerminalToken: token);
            }

            generated++;
            var logprob = config.Logprobs ? ReadLogprob(generator, token, config.TopLogprobs) : null;
            job.Output.Add(new PathToken(token, logprob));
            job.Output.PublishAndWakeOnPool();
        }
    }

    private static void Configure(GeneratorParams parameters, GenerationConfig config, int prompt)
    {
        parameters.SetSearchOption("max_length", prompt + config.MaxTokens);
        if (config.MinTokens > 0)
        {
            // GenAI's min_length counts the whole sequence, prompt included.
            parameters.SetSearchOption("min_length", prompt + config.MinTokens);
        }

        parameters.SetSearchOption("do_sample", config.DoSample);
        parameters.SetSearchOption("repetition_penalty", config.RepetitionPenalty);
        parameters.SetSearchOption("no_repeat_ngram_size", config.NoRepeatNgramSize);
        if (config.DoSample)
        {
            parameters.SetSearchOption("temperature", config.Temperature);
            parameters.SetSearchOption("top_p", config.TopP);

            // GenAI's own default is top_k 50; 0 is "no limit" in our contract and must be explicit.
            parameters.SetSearchOption("top_k", config.TopK);
            if (config.Seed is { } seed)
            {
                parameters.SetSearchOption("random_seed", SamplerSeed.Of(seed));
            }
        }
    }

    private static PathLogprob ReadLogprob(Generator generator, int token, int topCount)
    {
        using var logits = generator.GetOutput("logits");
        var shape = logits.Shape();
        var vocab = (int)shape[^1];
        var all = logits.GetData<float>();

        // The prefill step returns a row per prompt position; the last row scored this token.
        var row = all.Slice(all.Length - vocab, vocab);
        var normaliser = LogSoftmax.LogNormaliser(row);
        return new PathLogprob(row[token] - normaliser, LogSoftmax.Top(row, normaliser, topCount));
    }

    private static Model LoadModel(string modelPath, string executionProvider, string? configOverlay)
    {
        using var config = new Config(modelPath);
        config.ClearProviders();
        if (!string.Equals(executionProvider, "cpu", StringComparison.OrdinalIgnoreCase))
        {
            config.AppendProvider(executionProvider);
        }

        if (configOverlay is not null)
        {
            config.Overlay(configOverlay);
        }

        return new Model(config);
    }
}
