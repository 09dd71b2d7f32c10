using System.Globalization;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Receiving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.EngineWatch;

/// <summary>
/// Tells a hung engine from a slow one. A worker whose engine thread is stuck (a call into the runtime that never
/// returns, a deadlock) keeps its process, its broker connection and its heartbeats, so the gateways count it live and
/// the broker leaves it the requests it holds until their deadline. Each path of the engine counts every step, turn and
/// token that completes on it (<see cref="IInferenceEngine.Progress"/>); when one path's count has stood still for
/// <see cref="WorkerOptions.EngineStallTimeout"/> while requests were in flight on that path, on every look, the engine
/// is hung, however busily its other paths move: the worker logs it, reports itself not live
/// (<see cref="EngineStallHealthCheck"/>) and ends its process at once with <see cref="ExitForRestart.ExitCode"/>. The
/// broker then hands its unacknowledged requests to another worker, which resumes them by token position as after a
/// kill. It does not drain: nothing on a hung path can finish.
/// </summary>
internal sealed partial class EngineWatchdog : BackgroundService
{
    /// <summary>The longest time between two looks; shorter for short timeouts, so a stall is found within a tenth more.</summary>
    private static readonly TimeSpan LongestInterval = TimeSpan.FromSeconds(5);

    private readonly IInferenceEngine _engine;
    private readonly EngineStall _stall;
    private readonly IProcessEnd _end;
    private readonly TimeProvider _time;
    private readonly ILogger<EngineWatchdog> _logger;
    private readonly TimeSpan _timeout;
    /// <summary>Per path: the count last seen, and since when it stood there with requests in flight (null: not watched).</summary>
    private readonly Dictionary<string, (long Seen, long? UnchangedSince)> _paths = [];

    public EngineWatchdog(
        IInferenceEngine engine,
        EngineStall stall,
        IProcessEnd end,
        IOptions<WorkerOptions> options,
        TimeProvider time,
        ILogger<EngineWatchdog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _engine = engine;
        _stall = stall;
        _end = end;
        _time = time;
        _logger = logger;
        _timeout = options.Value.EngineStallTimeout;
    }

    /// <summary>How often the watchdog looks: a tenth of the timeout, at most <see cref="LongestInterval"/>.</summary>
    internal TimeSpan Interval => _timeout / 10 < LongestInterval ? _timeout / 10 : LongestInterval;

    /// <summary>
    /// One look; true when it found a path hung (and ended the process). Each path is judged on its own: its time without
    /// progress counts from the first look that saw requests in flight on it and its count where it is now; a look that
    /// finds the path idle, or its count moved, starts it again, so a request that arrived on an idle path is never
    /// judged by the idle time before, and another path's progress never hides it.
    /// </summary>
    internal bool CheckOnce()
    {
        if (_stall.Reason is not null)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        foreach (var path in _engine.Progress)
        {
            var still = StillFor(path, now);
            if (still >= _timeout)
            {
                Stalled(path, still);
                return true;
            }
        }

        return false;
    }

    /// <summary>How long <paramref name="path"/> has stood still with requests in flight, as of this look.</summary>
    private TimeSpan StillFor(PathProgress path, long now)
    {
        if (path.InFlight <= 0 || !_paths.TryGetValue(path.Path, out var watch) || watch.UnchangedSince is null || path.Count != watch.Seen)
        {
            _paths[path.Path] = (path.Count, path.InFlight > 0 ? now : null);
            return TimeSpan.Zero;
        }

        return _time.GetElapsedTime(watch.UnchangedSince.Value, now);
    }

    private void Stalled(PathProgress path, TimeSpan still)
    {
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"the {path.Path} of model {_engine.Model.Id} completed no step, turn or token for {still.TotalSeconds:0.#} s while " +
            $"{path.InFlight} requests were in flight on it (longer than {WorkerOptions.SectionName}:{nameof(WorkerOptions.EngineStallTimeout)}, " +
            $"{_timeout.TotalSeconds:0} s): its thread is stuck in a call that does not return");
        _stall.Mark(reason);
        LogStalled(reason, ExitForRestart.ExitCode);
        _end.Now(ExitForRestart.ExitCode);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (CheckOnce())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Engine stalled: {Reason}. This worker is not live any more and exits now with code {ExitCode}, without draining (nothing on a hung engine can finish); the broker hands the requests it held to another worker, which resumes them")]
    private partial void LogStalled(string reason, int exitCode);
}
