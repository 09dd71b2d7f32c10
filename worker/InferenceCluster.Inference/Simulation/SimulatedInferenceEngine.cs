using System.Runtime.CompilerServices;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Text;

namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// <see cref="IInferenceEngine"/> over a simulated accelerator: the model's real tokenizer and chat template,
/// the same validation as the GenAI engine, and tokens of the model's vocabulary paced by a step-time model
/// instead of a GPU. Greedy requests give the same text for the same prompt, seeded ones for the same prompt
/// and seed; other sampling settings are accepted and do not change the simulated text.
/// </summary>
internal sealed class SimulatedInferenceEngine : IInferenceEngine
{
    private readonly PromptEncoder _encoder;
    private readonly RequestPlanner _planner;
    private readonly SimulatedStepLoop _loop;
    private readonly SimulationOptions _options;
    private readonly TimeProvider _time;
    private readonly EnginePermits _permits;

    internal SimulatedInferenceEngine(
        ModelDescriptor model, PromptEncoder encoder, int vocabSize, SimulatedVocabulary vocabulary, SimulationOptions options, TimeProvider time)
    {
        Model = model;
        _encoder = encoder;
        _options = options;
        _time = time;
        _planner = new RequestPlanner(encoder, model.ContextLength, vocabSize, dynamicBatching: true, classicAvailable: false);
        _loop = new SimulatedStepLoop(options, vocabulary, time);
        _permits = new EnginePermits(model.Capacity);
    }

    public ModelDescriptor Model { get; }

    public int InFlight => _permits.InFlight;

    public IReadOnlyList<PathProgress> Progress => [new("simulated accelerator", _loop.Progress, _permits.InFlight)];

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(
        string requestId,
        IReadOnlyList<ChatMessage>? messages,
        string? prompt,
        GenerationConfig config,
        CancellationToken cancellationToken = default)
    {
        if (config is { Logprobs: true })
        {
            throw Invalid("logprobs", "The simulated accelerator (Inference:ExecutionProvider=simulated) computes no log-probabilities.");
        }

        if (config is { Guidance: not null })
        {
            throw Invalid("response_format", "The simulated accelerator (Inference:ExecutionProvider=simulated) does not constrain its output.");
        }

        (var tokens, _, config, var inputParam) = _planner.Plan(messages, prompt, config);

        // The simulated device's KV blocks bound prompt plus completion as the context does, by the same rule.
        var (maxTokens, minTokens) = TokenRoom.Fitted(config.MaxTokens, config.FitMaxTokensToContext, config.MinTokens, config.FitMinTokensToContext,
            tokens.Length, (long)_options.KvBlocks * _options.KvBlockSize, inputParam,
            $"the simulated device's {_options.KvBlocks} KV blocks of {_options.KvBlockSize} tokens (Inference:Simulation:KvBlocks)");
        config = (maxTokens, minTokens) == (config.MaxTokens, config.MinTokens) ? config : config with { MaxTokens = maxTokens, MinTokens = minTokens };
        var blocks = SimulatedBatchScheduler.BlocksFor(tokens.Length, config.MaxTokens, _options.KvBlockSize);
        return RunAsync(tokens, config, blocks, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _loop.DisposeAsync().ConfigureAwait(false);
        _encoder.Dispose();
        _permits.Dispose();
    }

    /// <summary>
    /// Greedy output depends on the prompt alone, seeded output on prompt and seed; unseeded sampling gets a
    /// fresh stream each time.
    /// </summary>
    internal static ulong SeedFor(GenerationConfig config, ReadOnlySpan<int> prompt)
    {
        var hash = 14695981039346656037UL;
        foreach (var token in prompt)
        {
            hash = (hash ^ (uint)token) * 1099511628211UL;
        }

        return !config.DoSample ? hash
            : config.Seed is { } seed ? hash ^ unchecked((ulong)seed * 0x9E3779B97F4A7C15UL)
            : (ulong)Random.Shared.NextInt64();
    }

    private async IAsyncEnumerable<GenerationEvent> RunAsync(
        int[] promptTokens, GenerationConfig config, int blocks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prompt = promptTokens.Length;
        var arrived = _time.GetTimestamp();
        if (!await _permits.TryAcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new GenerationCompleted(GenerationFinishReason.Cancelled, new CompletionUsage(prompt, 0, 0), TimeSpan.Zero,
                MaxTokens: config.MaxTokens, MinTokens: config.MinTokens);
            yield break;
        }

        var sequence = new SimulatedSequence(prompt, config.MaxTokens, config.MinTokens, SeedFor(config, promptTokens), blocks);
        var stops = config.Stop.Count > 0 ? new StopTextBuffer<TokenGenerated>(config.Stop) : null;
        var delivered = 0;
        var stopMatched = false;
        try
        {
            _loop.Submit(sequence);
            using var registration = cancellationToken.Register(() => _loop.Cancel(sequence));
            var reader = sequence.Events.Reader;
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            while (reader.TryRead(out var next))
            {
                if (next is TokenGenerated token)
                {
                    // After a stop match or a cancel, tokens still in flight are not part of the answer.
                    if (stopMatched || cancellationToken.IsCancellationRequested)
                    {
                        continue;
                    }

                    if (delivered++ == 0)
                    {
                        yield return new PrefillCompleted(prompt, _time.GetElapsedTime(arrived, sequence.Admitted),
                            _time.GetElapsedTime(sequence.Admitted, sequence.FirstToken));
                    }

                    if (stops is null)
                    {
                        yield return token;
                        continue;
                    }

                    var (released, stopped) = stops.Add(token, token.Text);
                    foreach (var (item, text) in released)
                    {
                        yield return text.Length == item.Text.Length ? item : item with { Text = text };
                    }

                    if (stopped)
                    {
                        stopMatched = true;
                        _loop.Cancel(sequence);
                    }

                    continue;
                }

                var completed = (GenerationCompleted)next;
                var reason = stopMatched ? GenerationFinishReason.Stop : completed.FinishReason;
                if (!stopMatched && cancellationToken.IsCancellationRequested && reason is GenerationFinishReason.Length or GenerationFinishReason.Stop)
                {
                    // The turn outran the cancel, but the caller was given no token after it: for the caller it was cancelled.
                    reason = GenerationFinishReason.Cancelled;
                }

                if (stops is not null && !stopMatched && reason is GenerationFinishReason.Length or GenerationFinishReason.Stop)
                {
                    foreach (var (item, text) in stops.Flush())
                    {
                        yield return text.Length == item.Text.Length ? item : item with { Text = text };
                    }
                }

                var usage = stopMatched ? completed.Usage with { CompletionTokens = delivered } : completed.Usage;
                yield return completed with { FinishReason = reason, Usage = usage };
            }
        }
        finally
        {
            // Also when the caller stops listening early: the sequence leaves the batch and the permit comes back.
            _loop.Cancel(sequence);
            _permits.Release();
        }
    }

    private static GenerationRejectedException Invalid(string param, string message) => new("invalid_config", param, message);
}
