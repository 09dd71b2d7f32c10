using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>Where one choice's replies come from: a dispatched command's session, or a cached result replayed as its final message.</summary>
internal sealed class ChoiceRun : IDisposable
{
    private readonly CompletionSession? _session;
    private readonly IDisposable? _admission;
    private CachedCompletion? _cached;

    private ChoiceRun(ChoiceJob job, CompletionSession? session, IDisposable? admission, CachedCompletion? cached)
    {
        Job = job;
        _session = session;
        _admission = admission;
        _cached = cached;
        FromCache = cached is not null;
    }

    public ChoiceJob Job { get; }

    public bool FromCache { get; }

    /// <summary>The request id of the dispatched command, or a fresh one for a cached replay.</summary>
    public Guid RequestId => _session?.RequestId ?? Guid.Empty;

    /// <summary>A dispatched choice; it holds its model admission slot until disposed.</summary>
    public static ChoiceRun Dispatched(ChoiceJob job, CompletionSession session, IDisposable admission) => new(job, session, admission, null);

    public static ChoiceRun Cached(ChoiceJob job, CachedCompletion cached) => new(job, null, null, cached);

    public async ValueTask<ReplyEvent> ReadAsync(CancellationToken stop = default)
    {
        if (_session is not null)
        {
            return await _session.ReadAsync(stop).ConfigureAwait(false);
        }

        var cached = _cached ?? throw new InvalidOperationException("A cached choice has only one reply.");
        _cached = null;
        return ReplyEvent.Of(new CompletionFinished
        {
            RequestId = Guid.Empty,
            Position = 0,
            FinishReason = cached.FinishReason,
            Usage = new CompletionUsage(cached.PromptTokens, cached.CompletionTokens, 0),
            Timings = new CompletionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
            WorkerId = "cache",
            ModelRevision = cached.ModelRevision,
            Text = cached.Text,
            Logprobs = cached.Logprobs,
            ReasoningTokens = cached.ReasoningTokens,
        });
    }

    /// <summary>Frees the choice's admission slot and ends its session (whose cancel, if due, goes out in the background).</summary>
    public void Dispose()
    {
        try
        {
            _session?.Dispose();
        }
        finally
        {
            _admission?.Dispose();
        }
    }
}
