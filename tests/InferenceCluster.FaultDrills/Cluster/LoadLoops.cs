using System.Collections.Concurrent;
using System.Diagnostics;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>Several clients, each sending one request after another until told to stop, every outcome kept.</summary>
internal sealed class LoadLoops
{
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentBag<RequestOutcome> _outcomes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public LoadLoops(int loops, Func<int, int, Task<RequestOutcome>> send)
    {
        for (var loop = 0; loop < loops; loop++)
        {
            var index = loop;
            _loops.Add(Task.Run(async () =>
            {
                for (var n = 0; !_stop.IsCancellationRequested; n++)
                {
                    _outcomes.Add(await send(index, n));

                    // A client's think time; without it the loops alone would fill both cores of a CI machine.
                    await Task.Delay(ThinkTime);
                }
            }));
        }
    }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public IReadOnlyList<RequestOutcome> Between(TimeSpan from, TimeSpan to) =>
        [.. _outcomes.Where(o => o.StartedAt >= from && o.StartedAt < to).OrderBy(o => o.StartedAt)];

    public IReadOnlyList<RequestOutcome> All => [.. _outcomes.OrderBy(o => o.StartedAt)];

    /// <summary>Stops sending; requests under way finish first.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
