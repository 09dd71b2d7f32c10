using System.Diagnostics;
using System.Threading.Channels;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Output;
using InferenceCluster.Inference.Telemetry;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// Owns a GenAI Engine on one dedicated thread: GenAI rejects engine calls from any other thread.
/// Other threads talk to it only through a channel of sessions (submitted, or cancelled); outputs go
/// back through each session's own buffer, published once per step.
/// </summary>
internal sealed partial class EngineLoop : IAsyncDisposable
{
    /// <summary>
    /// The shortest time between two wake-ups of the reader thread for readers that only got more tokens, so
    /// that on a small model's sub-millisecond steps one wake-up serves several steps; longer steps wake it
    /// every time. Streams go out in deltas many times longer than this; first tokens and ends are never held.
    /// </summary>
    internal static readonly TimeSpan ReaderWakeInterval = TimeSpan.FromMilliseconds(1);

    private readonly Channel<EngineSession> _sessions = Channel.CreateUnbounded<EngineSession>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<EngineCapabilities> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<NativeEngine> _factory;
    private readonly Func<NativeEngine, List<EngineEvent>, int> _step;
    private readonly TimeSpan _noProgressTimeout;
    private readonly ILogger _logger;
    private readonly List<EngineSession> _active = [];
    private readonly List<EngineEvent> _events = [];
    private readonly EngineMetrics? _metrics;
    private readonly ReaderThread _readers;
    private NativeEngine? _engine;
    private long _lastEngineProgress = Stopwatch.GetTimestamp();
    private long _progress;

    private EngineLoop(
        Func<NativeEngine> factory, TimeSpan noProgressTimeout, ILogger logger, EngineMetrics? metrics, Func<NativeEngine, List<EngineEvent>, int>? step,
        TimeProvider? time)
    {
        _readers = new ReaderThread("genai-engine-readers", ReaderWakeInterval, time);
        _factory = factory;
        _step = step ?? (static (engine, events) => engine.Run(events));
        _metrics = metrics;
        _noProgressTimeout = noProgressTimeout;
        _logger = logger;
    }

    public EngineCapabilities Capabilities { get; private set; } = new(0, 0, 0);

    /// <summary>Calls into the engine that came back (steps, turns begun, cancels); see <see cref="IInferenceEngine.Progress"/>.</summary>
    public long Progress => Interlocked.Read(ref _progress);

    /// <summary>
    /// Starts the owner thread, which creates the engine; completes once it exists. <paramref name="step"/> stands in
    /// for <see cref="NativeEngine.Run"/>, so a failure of GenAI's step, which no request can provoke on demand, can be
    /// injected where the loop meets it; <paramref name="time"/> is the clock of <see cref="ReaderWakeInterval"/>.
    /// </summary>
    public static async Task<EngineLoop> StartAsync(
        Func<NativeEngine> factory,
        TimeSpan noProgressTimeout,
        ILogger logger,
        EngineMetrics? metrics = null,
        Func<NativeEngine, List<EngineEvent>, int>? step = null,
        TimeProvider? time = null)
    {
        var loop = new EngineLoop(factory, noProgressTimeout, logger, metrics, step, time);
        var thread = new Thread(loop.Run) { IsBackground = true, Name = "genai-engine-owner" };
        thread.Start();
        try
        {
            loop.Capabilities = await loop._started.Task.ConfigureAwait(false);
        }
        catch
        {
            // The engine never existed, so nobody will dispose the loop: end its reader thread here.
            loop._readers.Dispose();
            throw;
        }

        return loop;
    }

    /// <summary>Queues a request; its outputs arrive in the session's buffer.</summary>
    public void Submit(EngineSession session)
    {
        if (!_sessions.Writer.TryWrite(session))
        {
            session.Output.Complete(new PathFinished(PathFinishReason.Failed, session.PromptTokens.Length, 0, 0, "engine is stopped"));
            session.Output.PublishAndWakeOnPool();
            session.Released();
        }
    }

    /// <summary>
    /// Asks the owner thread to cancel the request's turn; it ends with a Cancelled output. The session goes
    /// through the channel again, behind its submission, so the owner thread wakes for it as for a submission.
    /// </summary>
    public void Cancel(EngineSession session)
    {
        if (session.MarkCancelRequested())
        {
            _sessions.Writer.TryWrite(session);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _sessions.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
        _readers.Dispose();
    }

    private void Run()
    {
        try
        {
            _engine = _factory();
        }
        catch (Exception ex)
        {
            _started.SetException(ex);
            _stopped.SetResult();
            return;
        }

        _started.SetResult(_engine.Capabilities);
        try
        {
            Loop(_engine);
        }
        catch (Exception ex)
        {
            LogLoopCrashed(ex);
            FailAll(_engine, "engine loop crashed: " + ex.Message);
        }
        finally
        {
            // No submission may land after the drain below: nobody would read it and its caller would wait forever.
            _sessions.Writer.TryComplete();
            while (_sessions.Reader.TryRead(out var leftover))
            {
                if (!leftover.Received)
                {
                    leftover.Received = true;
                    Finish(null, leftover, new PathFinished(PathFinishReason.Failed, leftover.PromptTokens.Length, 0, 0, "engine is stopped"));
                }
            }

            Deliver();
            _readers.Flush();

            _engine.Dispose();
            _stopped.SetResult();
        }
    }

    private void Loop(NativeEngine engine)
    {
        while (true)
        {
            while (_sessions.Reader.TryRead(out var session))
            {
                Handle(engine, session);
                Interlocked.Increment(ref _progress);

                // A new request may make the next step a long prefill: nothing waits behind it.
                _wakeUrgently = true;
            }

            // Requests ended off the engine's step (a rejection, a cancel before admission, a failed step) reach
            // their readers now, not after the next step, which may be a long prefill; a failed step's requests
            // would otherwise wait through every later step that fails too.
            WakeWaiting();

            if (_sessions.Reader.Completion.IsCompleted)
            {
                FailAll(engine, "engine is stopping");
                Deliver();
                return;
            }

            if (_active.Count == 0)
            {
                Deliver();
                _readers.Flush();

                // Idle: block until someone submits; no spinning. Requests tend to arrive in bursts:
                // yielding once lets the rest of a burst land so it is prefilled in one batch.
                _sessions.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
                Thread.Yield();
                continue;
            }

            _events.Clear();
            try
            {
                _step(engine, _events);
            }
            catch (GenAiException ex)
            {
                LogRunFailed(ex.Message);
                FailAll(engine, ex.Message);
                continue;
            }
            finally
            {
                // The step came back, with tokens or without: however long it took, the engine works.
                Interlocked.Increment(ref _progress);
            }

            if (_events.Count > 0)
            {
                _lastEngineProgress = Stopwatch.GetTimestamp();
            }

            foreach (var engineEvent in _events)
            {
                Route(engine, engineEvent);
            }

            CheckProgress(engine);
            _metrics?.RecordStep(_events, _active);
            Deliver();
            if (_events.Count == 0 && _active.Count > 0 && !engine.HasPendingWork())
            {
                // Nothing runnable right now (e.g. waiting on a guided turn); wait briefly for submissions and cancels.
                _readers.Flush();
                _sessions.Reader.WaitToReadAsync().AsTask().Wait(TimeSpan.FromMilliseconds(5));
            }
        }
    }

    private void Handle(NativeEngine engine, EngineSession session)
    {
        if (!session.Received)
        {
            session.Received = true;
            if (session.CancelRequested)
            {
                Finish(null, session, new PathFinished(PathFinishReason.Cancelled, session.PromptTokens.Length, 0, 0));
                return;
            }

            Begin(engine, session);
            return;
        }

        // The cancel; a session no longer (or never) in the engine has nothing left to cancel.
        if (session.Request is null)
        {
            return;
        }

        try
        {
            if (!session.Request.CancelTurn(session.TurnId))
            {
                // Already finished inside the engine; its terminal event is on the way.
                LogCancelRaced(session.RequestId);
            }
        }
        catch (GenAiException ex)
        {
            Finish(engine, session, new PathFinished(PathFinishReason.Cancelled, session.PromptTokens.Length, session.Generated, 0, ex.Message));
        }
    }

    private void Begin(NativeEngine engine, EngineSession session)
    {
        NativeRequest? request = null;
        try
        {
            request = engine.CreateRequest(session.MaxSessionTokens);
            request.State = session;
            session.Request = request;
            session.TurnId = request.BeginTurn(session.Config, session.WithStops, session.PromptTokens);
            session.LastProgress = Stopwatch.GetTimestamp();
            _active.Add(session);
        }
        catch (GenAiException ex)
        {
            // Admission refused the turn before any work: report it as a rejection.
            LogAdmissionRejected(session.RequestId, ex.Message);
            Finish(request is null ? null : engine, session, new PathFinished(PathFinishReason.Failed, session.PromptTokens.Length, 0, 0, ex.Message, Rejected: true));
        }
    }
}
