using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// The simulated device: one loop that plans a step, waits out its modelled duration on a timer (never on the
/// CPU), then hands every sequence in the step its token. Steps follow each other on absolute deadlines, so
/// timer lateness does not accumulate into a slower device; after a stall longer than <see cref="MaxLag"/>
/// the lost time is dropped instead of replayed as a burst.
/// </summary>
internal sealed class SimulatedStepLoop : IAsyncDisposable
{
    private static readonly TimeSpan MaxLag = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly SimulatedBatchScheduler _scheduler;
    private readonly SimulatedVocabulary _vocabulary;
    private readonly double _endProbability;
    private readonly TimeProvider _time;
    private readonly SimulatedStepTimer _timer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private TaskCompletionSource? _wake;
    private long _progress;

    public SimulatedStepLoop(SimulationOptions options, SimulatedVocabulary vocabulary, TimeProvider time)
    {
        _scheduler = new SimulatedBatchScheduler(options);
        _vocabulary = vocabulary;
        _endProbability = options.EndOfSequenceProbability;
        _time = time;
        _timer = new SimulatedStepTimer(time);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Steps the device has completed; see <see cref="IInferenceEngine.Progress"/>.</summary>
    public long Progress => Interlocked.Read(ref _progress);

    public void Submit(SimulatedSequence sequence)
    {
        sequence.Queued = _time.GetTimestamp();
        lock (_gate)
        {
            _scheduler.Enqueue(sequence);
            Wake();
        }
    }

    /// <summary>The sequence leaves at the next step and its stream ends with <see cref="GenerationFinishReason.Cancelled"/>.</summary>
    public void Cancel(SimulatedSequence sequence)
    {
        if (sequence.Cancel())
        {
            lock (_gate)
            {
                Wake();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _timer.Dispose();
        _stopping.Dispose();
    }

    private void Wake()
    {
        _wake?.TrySetResult();
        _wake = null;
    }

    private async Task RunAsync()
    {
        var dropped = new List<SimulatedSequence>();
        var finished = new List<SimulatedSequence>();
        var maxLag = (long)(MaxLag.TotalSeconds * _time.TimestampFrequency);
        var deadline = 0L;
        var resting = true;
        try
        {
            while (true)
            {
                SimulatedStep step;
                Task? idle = null;
                lock (_gate)
                {
                    step = _scheduler.Plan(dropped);
                    if (step.IsIdle)
                    {
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        idle = _wake.Task;
                    }
                }

                foreach (var sequence in dropped)
                {
                    End(sequence, GenerationFinishReason.Cancelled, _time.GetTimestamp());
                }

                dropped.Clear();
                if (idle is not null)
                {
                    await idle.WaitAsync(_stopping.Token).ConfigureAwait(false);
                    resting = true;
                    continue;
                }

                var start = StepStart(resting, deadline, _time.GetTimestamp(), maxLag, step.Admitted);
                resting = false;
                foreach (var sequence in step.Admitted)
                {
                    sequence.Admitted = start;
                }

                deadline = start + (long)Math.Round(step.Duration.TotalSeconds * _time.TimestampFrequency);
                await _timer.WaitUntilAsync(deadline, _stopping.Token).ConfigureAwait(false);

                Emit(step, deadline, finished);
                Interlocked.Increment(ref _progress);
                if (finished.Count > 0)
                {
                    lock (_gate)
                    {
                        finished.ForEach(_scheduler.Retire);
                    }

                    finished.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed: what is still queued or running ends below.
        }
        finally
        {
            List<SimulatedSequence> left;
            lock (_gate)
            {
                left = _scheduler.TakeAll();
            }

            foreach (var sequence in left)
            {
                End(sequence, GenerationFinishReason.Error, _time.GetTimestamp(), "The simulated accelerator was shut down.");
            }
        }
    }

    /// <summary>
    /// When a step begins on the device's own clock: right away after a rest; otherwise when the previous step
    /// ended, even if the timer woke late (so lateness is not lost), but never more than the allowed lag ago and
    /// never before a sequence it prefills arrived: a request cannot be served before it exists.
    /// </summary>
    internal static long StepStart(bool resting, long previousEnd, long now, long maxLag, IReadOnlyList<SimulatedSequence> admitted)
    {
        var start = resting ? now : Math.Max(previousEnd, now - maxLag);
        foreach (var sequence in admitted)
        {
            start = Math.Max(start, sequence.Queued);
        }

        return start;
    }

    /// <summary>
    /// The token of every sequence in the step. Each step draws the end-of-sequence chance and the token whether
    /// or not they are used, so a seed gives the same tokens whatever max_tokens and min_tokens are.
    /// </summary>
    private void Emit(SimulatedStep step, long at, List<SimulatedSequence> finished)
    {
        foreach (var sequence in step.Sequences)
        {
            if (sequence.IsCancelled)
            {
                continue;
            }

            var ends = sequence.Random.NextDouble() < _endProbability;
            var token = _vocabulary.Pick(ref sequence.Random);
            if (ends && sequence.Generated >= sequence.MinTokens)
            {
                End(sequence, GenerationFinishReason.Stop, at);
                finished.Add(sequence);
                continue;
            }

            if (sequence.Generated++ == 0)
            {
                sequence.FirstToken = at;
            }

            sequence.Events.Writer.TryWrite(token);
            if (sequence.Generated >= sequence.MaxTokens)
            {
                End(sequence, GenerationFinishReason.Length, at);
                finished.Add(sequence);
            }
        }
    }

    private void End(SimulatedSequence sequence, GenerationFinishReason reason, long at, string? error = null)
    {
        var decode = sequence.Generated == 0 ? TimeSpan.Zero : _time.GetElapsedTime(sequence.FirstToken, at);
        sequence.Events.Writer.TryWrite(new GenerationCompleted(
            reason, new CompletionUsage(sequence.PromptTokens, sequence.Generated, 0), decode, error,
            MaxTokens: sequence.MaxTokens, MinTokens: sequence.MinTokens));
        sequence.Events.Writer.TryComplete();
    }
}
