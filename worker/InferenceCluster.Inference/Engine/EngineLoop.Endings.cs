using System.Diagnostics;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Output;

namespace InferenceCluster.Inference.Engine;

/// <summary>How requests leave the engine loop: their events routed, finished, stalled, or failed with the engine.</summary>
internal sealed partial class EngineLoop
{
    // Owner thread only: buffers whose waiting readers this step must wake, and whether any of them must not wait for a later step.
    private readonly List<PathOutputBuffer> _waking = [];
    private bool _wakeUrgently;

    private void Route(NativeEngine engine, EngineEvent e)
    {
        if (e.Request?.State is not EngineSession session)
        {
            if (e.IsFailed)
            {
                LogUnroutedFailure(e.ErrorCode.ToString());
            }

            return;
        }

        if (e.HasToken)
        {
            if (++session.Generated == 1)
            {
                // The caller is waiting for its first token (time to first token).
                _wakeUrgently = true;
            }

            session.LastProgress = Stopwatch.GetTimestamp();
            session.Output.Add(new PathToken(e.Token, null));
        }

        if (e.IsTurnFinished)
        {
            Finish(engine, session, TurnOutcome.Finished(e, session));
        }
        else if (e.IsFailed && (e.Flags & EngineEventFlags.Retryable) == 0)
        {
            Finish(engine, session, new PathFinished(PathFinishReason.Failed, session.PromptTokens.Length, session.Generated, 0, $"engine failed the request ({e.ErrorCode})"));
        }
        else if (e.IsCapacityBlocked)
        {
            LogCapacityBlocked(session.RequestId, e.ErrorCode.ToString());
        }
    }

    /// <summary>
    /// Fails requests that stopped making progress. A request that has not produced a token yet may
    /// just be queued (a static batch admits newcomers only when the whole batch is done), so it
    /// counts as stuck only while the engine as a whole produces nothing either.
    /// </summary>
    private void CheckProgress(NativeEngine engine)
    {
        var engineIdle = Stopwatch.GetElapsedTime(_lastEngineProgress) > _noProgressTimeout;
        for (var i = _active.Count - 1; i >= 0; i--)
        {
            var session = _active[i];
            var stalled = Stopwatch.GetElapsedTime(session.LastProgress) > _noProgressTimeout && (session.Started || engineIdle);
            if (stalled)
            {
                LogNoProgress(session.RequestId, _noProgressTimeout);
                Finish(engine, session, new PathFinished(PathFinishReason.Failed, session.PromptTokens.Length, session.Generated, 0,
                    $"no progress for {_noProgressTimeout.TotalSeconds:0.###} s"));
            }
        }
    }

    private void FailAll(NativeEngine engine, string error)
    {
        foreach (var session in _active.ToList())
        {
            Finish(engine, session, new PathFinished(PathFinishReason.Failed, session.PromptTokens.Length, session.Generated, 0, error));
        }
    }

    private void Finish(NativeEngine? engine, EngineSession session, PathFinished finished)
    {
        _active.Remove(session);
        if (engine is not null && session.Request is { } request)
        {
            session.Request = null;
            try
            {
                // Closing frees the slot; an unclosed finished request blocks admission of new ones.
                engine.Release(request);
            }
            catch (GenAiException ex)
            {
                LogCloseFailed(session.RequestId, ex.Message);
            }
        }

        session.Output.Complete(finished);
        if (session.Output.Publish())
        {
            _waking.Add(session.Output);
        }

        _wakeUrgently = true;

        session.Released();
    }

    /// <summary>
    /// Publishes what this step staged for the running requests and wakes the readers that wait, all at
    /// once: one hand-off per step, however many requests and tokens it served.
    /// </summary>
    private void Deliver()
    {
        foreach (var session in _active)
        {
            if (session.Output.Publish())
            {
                _waking.Add(session.Output);
            }
        }

        WakeWaiting();
    }

    /// <summary>
    /// Hands the readers that wait for what was published since the last hand-off to the reader thread, which
    /// may let readers that only got more tokens wait for a later step (<see cref="ReaderWakeInterval"/>).
    /// </summary>
    private void WakeWaiting()
    {
        _readers.Wake(_waking, _wakeUrgently);
        _waking.Clear();
        _wakeUrgently = false;
    }
}
