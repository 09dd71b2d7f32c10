using InferenceCluster.Inference.Simulation;

namespace InferenceCluster.Inference.Tests.Simulation;

/// <summary>Where a simulated step starts on the device's clock when the loop's timer wakes late.</summary>
public sealed class SimulatedStepLoopTests
{
    private const long MaxLag = 20;

    private static SimulatedSequence Arrived(long queued) => new(4, 4, 0, 1, 2) { Queued = queued };

    [Fact]
    public void StepStart_TimerWokeLate_StartsWhenThePreviousStepEnded()
    {
        Assert.Equal(100, SimulatedStepLoop.StepStart(resting: false, previousEnd: 100, now: 105, MaxLag, []));
    }

    [Fact]
    public void StepStart_StallLongerThanTheLag_DropsTheLostTime()
    {
        Assert.Equal(480, SimulatedStepLoop.StepStart(resting: false, previousEnd: 100, now: 500, MaxLag, []));
    }

    [Fact]
    public void StepStart_AfterARest_StartsNow()
    {
        Assert.Equal(500, SimulatedStepLoop.StepStart(resting: true, previousEnd: 100, now: 500, MaxLag, [Arrived(450)]));
    }

    [Fact]
    public void StepStart_ArrivalAfterThePreviousStepEnded_StartsAtTheArrival()
    {
        // A late timer may not pull a newcomer's prefill back to before it arrived (it would finish early).
        Assert.Equal(103, SimulatedStepLoop.StepStart(resting: false, previousEnd: 100, now: 105, MaxLag, [Arrived(103)]));
    }
}
