using System.Collections.Concurrent;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// Several clients of a drill's gateway, each sending one request after another until told to stop, every
/// answer kept: the steady load a fault meets, where <see cref="DrillLoad"/> is a burst sent at once.
/// </summary>
internal sealed class DrillLoops
{
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentBag<DrillAnswer> _answers = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    /// <summary>Starts <paramref name="loops"/> clients; client <c>loop</c> sends <c>request(loop, n)</c> as its n-th request.</summary>
    public DrillLoops(DrillGateway gateway, int loops, Func<int, int, DrillRequest> request)
    {
        for (var loop = 0; loop < loops; loop++)
        {
            var index = loop;
            _loops.Add(Task.Run(async () =>
            {
                for (var n = 0; !_stop.IsCancellationRequested; n++)
                {
                    _answers.Add(await gateway.AskAsync(request(index, n)));

                    // A client's think time; without it the loops alone would fill both cores of a CI machine.
                    await Task.Delay(ThinkTime);
                }
            }));
        }
    }

    /// <summary>The answers to requests sent from <paramref name="from"/> (inclusive) to <paramref name="to"/>, in the order they were sent.</summary>
    public IReadOnlyList<DrillAnswer> Between(DateTime from, DateTime to) =>
        [.. _answers.Where(answer => answer.StartedAt >= from && answer.StartedAt < to).OrderBy(answer => answer.StartedAt)];

    public IReadOnlyList<DrillAnswer> All => [.. _answers.OrderBy(answer => answer.StartedAt)];

    /// <summary>Stops sending; requests under way finish first.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
