using System.Runtime.CompilerServices;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>An engine whose event stream each test scripts; counts the requests it was given.</summary>
internal sealed class FakeInferenceEngine : IInferenceEngine
{
    private int _calls;
    private int _inFlight;
    private long _progress;

    public FakeInferenceEngine(Func<EngineCall, CancellationToken, IAsyncEnumerable<GenerationEvent>> script, string modelId = "test-model", int capacity = 4, bool isReasoningModel = false)
    {
        Script = script;
        Model = new ModelDescriptor
        {
            Id = modelId,
            Revision = "rev-1",
            ContextLength = 2048,
            Capacity = capacity,
            IsReasoningModel = isReasoningModel,
            BatchingMode = "fake",
            Path = "/nowhere",
        };
    }

    public Func<EngineCall, CancellationToken, IAsyncEnumerable<GenerationEvent>> Script { get; }

    public ModelDescriptor Model { get; }

    public int InFlight => Volatile.Read(ref _inFlight) + ExtraInFlight + ClassicInFlight;

    /// <summary>
    /// Two paths, as the GenAI engine has: the fake's own requests and events handed out (plus <see cref="ExtraInFlight"/>
    /// and <see cref="ExtraProgress"/>) as the engine loop, and <see cref="ClassicProgress"/> and
    /// <see cref="ClassicInFlight"/> as the classic path.
    /// </summary>
    public IReadOnlyList<PathProgress> Progress =>
    [
        new("engine loop", Interlocked.Read(ref _progress) + ExtraProgress, Volatile.Read(ref _inFlight) + ExtraInFlight),
        new("classic path", ClassicProgress, ClassicInFlight),
    ];

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Pretends some requests are running, to see the number in heartbeats.</summary>
    public int ExtraInFlight { get; set; }

    /// <summary>Pretends the engine moved on (or, left alone while requests run, that it hangs).</summary>
    public long ExtraProgress { get; set; }

    /// <summary>Pretends requests run on the classic path.</summary>
    public int ClassicInFlight { get; set; }

    /// <summary>Pretends the classic path moved on (or, left alone while its requests run, that it hangs).</summary>
    public long ClassicProgress { get; set; }

    public async IAsyncEnumerable<GenerationEvent> GenerateAsync(
        string requestId,
        IReadOnlyList<ChatMessage>? messages,
        string? prompt,
        GenerationConfig config,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new EngineCall(requestId, messages, prompt, config);
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _inFlight);
        try
        {
            await foreach (var generationEvent in Script(request, cancellationToken).WithCancellation(cancellationToken))
            {
                Interlocked.Increment(ref _progress);
                yield return generationEvent;
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>A prefill, the given token texts, and a final Stop event.</summary>
    public static async IAsyncEnumerable<GenerationEvent> Tokens(IReadOnlyList<string> texts, bool withLogprobs = false)
    {
        yield return new PrefillCompleted(5, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2));
        for (var i = 0; i < texts.Count; i++)
        {
            await Task.Yield();
            var logprob = withLogprobs ? new TokenLogprob(texts[i], -0.5, []) : null;
            yield return new TokenGenerated(i, texts[i], logprob);
        }

        yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(5, texts.Count, 0), TimeSpan.FromMilliseconds(3));
    }

    /// <summary>Tokens every <paramref name="interval"/> until cancelled, then a Cancelled final as a real engine ends.</summary>
    public static async IAsyncEnumerable<GenerationEvent> Endless(TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new PrefillCompleted(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
        var produced = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            yield return new TokenGenerated(produced, "x", null);
            produced++;
            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        yield return new GenerationCompleted(GenerationFinishReason.Cancelled, new CompletionUsage(5, produced, 0), TimeSpan.FromMilliseconds(1));
    }
}
