using System.Diagnostics;
using System.Runtime.CompilerServices;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Classic;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Output;
using InferenceCluster.Inference.Text;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// <see cref="IInferenceEngine"/> over ONNX Runtime GenAI: the batching engine (dynamic or static,
/// by model layout) for most requests, a classic Generator per request for what the engine cannot
/// do. Capacity is a bounded permit shared by both paths.
/// </summary>
internal sealed class GenAiInferenceEngine : IInferenceEngine
{
    private readonly EngineLoop _loop;
    private readonly ClassicRunner _classic;
    private readonly PromptEncoder _encoder;
    private readonly RequestPlanner _planner;
    private readonly EnginePermits _permits;
    private int _loopInFlight;

    internal GenAiInferenceEngine(
        ModelDescriptor model, EngineLoop loop, ClassicRunner classic, PromptEncoder encoder, RequestPlanner planner)
    {
        Model = model;
        _loop = loop;
        _classic = classic;
        _encoder = encoder;
        _planner = planner;
        _permits = new EnginePermits(model.Capacity);
    }

    public ModelDescriptor Model { get; }

    public int InFlight => _permits.InFlight;

    /// <summary>
    /// Each path on its own: a hung classic Generator is not hidden by engine-loop traffic, nor a hung loop by classic
    /// streams. Classic requests waiting on the classic model's load are not in flight (<see cref="ClassicRunner.Running"/>).
    /// </summary>
    public IReadOnlyList<PathProgress> Progress =>
    [
        new("engine loop", _loop.Progress, Volatile.Read(ref _loopInFlight)),
        new("classic path", _classic.Progress, _classic.Running),
    ];

    internal PromptEncoder Encoder => _encoder;

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(
        string requestId,
        IReadOnlyList<ChatMessage>? messages,
        string? prompt,
        GenerationConfig config,
        CancellationToken cancellationToken = default)
    {
        // Validation happens here, eagerly, so a rejected request throws before any work or permit.
        var (tokens, path, planned, _) = _planner.Plan(messages, prompt, config);
        return RunAsync(requestId, tokens, path, planned, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
        _classic.Dispose();
        _encoder.Dispose();
        _permits.Dispose();
    }

    private async IAsyncEnumerable<GenerationEvent> RunAsync(
        string requestId,
        int[] promptTokens,
        GenerationPath path,
        GenerationConfig config,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var arrived = Stopwatch.GetTimestamp();
        var prompt = promptTokens.Length;

        // Only the dynamic engine knows the stop strings; elsewhere the stop match below ends the turn.
        var engineEnforcesStops = path == GenerationPath.DynamicEngine;
        if (!await _permits.TryAcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new GenerationCompleted(GenerationFinishReason.Cancelled, Usage(prompt, 0, 0), TimeSpan.Zero,
                MaxTokens: config.MaxTokens, MinTokens: config.MinTokens);
            yield break;
        }

        var outputs = new PathOutputBuffer();
        var cancel = Start(requestId, promptTokens, path, config, outputs);
        var submitted = Stopwatch.GetTimestamp();
        using var registration = cancellationToken.Register(cancel);
        using var decoder = _encoder.CreateStream();
        var stops = new StopTextBuffer<PathToken>(config.Stop);
        var generated = 0;
        var stopMatched = false;
        var finishedCleanly = false;
        long firstToken = 0;
        try
        {
            // Take everything published per wake-up: a reader that fell behind catches up in one go.
            var batch = new List<PathOutput>();
            while (await outputs.WaitToReadAsync().ConfigureAwait(false))
            {
                batch.Clear();
                batch = outputs.TakeAll(batch);
                foreach (var output in batch)
                {
                    if (output is PathToken token)
                    {
                        // After a stop match or a cancel, tokens still in flight are not part of the answer.
                        if (stopMatched || cancellationToken.IsCancellationRequested)
                        {
                            continue;
                        }

                        if (firstToken == 0)
                        {
                            firstToken = Stopwatch.GetTimestamp();
                            yield return new PrefillCompleted(prompt, Stopwatch.GetElapsedTime(arrived, submitted),
                                Stopwatch.GetElapsedTime(submitted, firstToken));
                        }

                        generated++;
                        if (config.Stop.Count == 0)
                        {
                            yield return ToEvent(token, decoder.Decode(token.TokenId));
                            continue;
                        }

                        var (released, stopped) = stops.Add(token, decoder.Decode(token.TokenId));
                        foreach (var (item, text) in released)
                        {
                            yield return ToEvent(item, text);
                        }

                        if (stopped)
                        {
                            stopMatched = true;
                            if (!engineEnforcesStops)
                            {
                                // This path does not know the stop strings: end the turn ourselves.
                                cancel();
                            }
                        }

                        continue;
                    }

                    var finished = (PathFinished)output;
                    finishedCleanly = true;
                    if (finished.Rejected && firstToken == 0)
                    {
                        throw new GenerationRejectedException(
                            FailureCodes.InvalidConfig, RejectedParam(config, finished.Error), finished.Error ?? "The engine refused the request.");
                    }

                    var reason = stopMatched ? GenerationFinishReason.Stop : Map(finished.Reason);
                    if (!stopMatched && cancellationToken.IsCancellationRequested && reason is GenerationFinishReason.Length or GenerationFinishReason.Stop)
                    {
                        // The turn outran the cancel, but the caller was given no token after it: for the caller it was cancelled.
                        reason = GenerationFinishReason.Cancelled;
                    }

                    if (reason is GenerationFinishReason.Length or GenerationFinishReason.Stop && !stopMatched
                        && finished.Reason != PathFinishReason.StopString)
                    {
                        foreach (var (item, text) in stops.Flush())
                        {
                            yield return ToEvent(item, text);
                        }
                    }

                    var completion = stopMatched && !engineEnforcesStops ? generated : Math.Max(finished.GeneratedTokens, generated);
                    var decode = firstToken == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(firstToken);
                    yield return new GenerationCompleted(reason, Usage(finished.PromptTokens, completion, finished.CachedPromptTokens), decode,
                        reason == GenerationFinishReason.Error ? finished.Error : null,
                        reason == GenerationFinishReason.Stop && !stopMatched ? finished.TerminalToken : null,
                        config.MaxTokens,
                        config.MinTokens);
                }
            }
        }
        finally
        {
            if (!finishedCleanly)
            {
                // The consumer stopped listening early: end the turn so its capacity comes back.
                cancel();
            }
        }
    }

    /// <summary>Starts the request on its path: the classic runner, or the engine loop.</summary>
    private Action Start(string requestId, int[] promptTokens, GenerationPath path, GenerationConfig config, PathOutputBuffer writer)
    {
        // The classic runner counts its own running requests (ClassicRunner.Running); the loop's are counted here.
        var classic = path == GenerationPath.Classic;
        if (!classic)
        {
            Interlocked.Increment(ref _loopInFlight);
        }

        var released = 0;
        void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                if (!classic)
                {
                    Interlocked.Decrement(ref _loopInFlight);
                }

                _permits.Release();
            }
        }

        if (classic)
        {
            var cts = new CancellationTokenSource();
            _classic.Start(new ClassicJob(requestId, promptTokens, config, writer, cts.Token, () =>
            {
                Release();
                cts.Dispose();
            }));
            return () =>
            {
                try
                {
                    cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // Already finished.
                }
            };
        }

        var session = new EngineSession(requestId, promptTokens, config, withStops: path == GenerationPath.DynamicEngine, writer, Release);
        _loop.Submit(session);
        return () => _loop.Cancel(session);
    }

    private TokenGenerated ToEvent(PathToken token, string text)
    {
        TokenLogprob? logprob = null;
        if (token.Logprob is { } lp)
        {
            var top = lp.Top.Select(t => new TopLogprob(_encoder.Decode([t.TokenId]), t.Logprob)).ToList();
            logprob = new TokenLogprob(_encoder.Decode([token.TokenId]), lp.Logprob, top);
        }

        return new TokenGenerated(token.TokenId, text, logprob);
    }

    private static GenerationFinishReason Map(PathFinishReason reason) => reason switch
    {
        PathFinishReason.EndOfSequence or PathFinishReason.StopString => GenerationFinishReason.Stop,
        PathFinishReason.Length => GenerationFinishReason.Length,
        PathFinishReason.Cancelled => GenerationFinishReason.Cancelled,
        _ => GenerationFinishReason.Error,
    };

    private static CompletionUsage Usage(int prompt, int completion, int cached) => new(prompt, completion, cached);

    /// <summary>
    /// The engine compiles a turn's guidance as the turn begins, and says only "Error creating grammar: …" about a
    /// schema it cannot compile: that refusal is the request's response_format. Other refusals name nothing.
    /// </summary>
    private static string? RejectedParam(GenerationConfig config, string? error) =>
        config.Guidance is not null && error?.Contains("grammar", StringComparison.OrdinalIgnoreCase) == true ? "response_format" : null;
}
