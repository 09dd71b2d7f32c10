using System.Diagnostics;
using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

public sealed class ReceiveProbesTests
{
    [Fact]
    public async Task ProbeAsync_Send_RunsUnderAParentThatIsNotRecordedSoTheProbesTraceIsNotExported()
    {
        // The request a service happens to be serving must not lend the probe its recorded trace either.
        using var request = new Activity("request") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        request.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        var probes = new ReceiveProbes();
        Activity? parentOfSend = null;

        var outcome = await probes.ProbeAsync(
            (probeId, _, _) =>
            {
                parentOfSend = Activity.Current;
                probes.Arrived(probeId);
                return Task.CompletedTask;
            },
            () => new ProbedEndpointState(IsReady: true, ReadyEpoch: 1, Deliveries: 0),
            TimeSpan.FromMinutes(1),
            TimeProvider.System,
            _ => { },
            CancellationToken.None);

        Assert.Equal(ProbeOutcome.Arrived, outcome);
        Assert.NotNull(parentOfSend);
        Assert.Equal(ReceiveProbes.ProbeActivityName, parentOfSend.OperationName);
        Assert.Equal(ActivityTraceFlags.None, parentOfSend.Context.TraceFlags & ActivityTraceFlags.Recorded);
        Assert.NotEqual(request.TraceId, parentOfSend.TraceId);
        Assert.Same(request, Activity.Current);
    }
}
