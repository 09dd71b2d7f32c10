using System.Diagnostics;
using InferenceCluster.Inference.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Inference.Tests.Simulation;

/// <summary>The engine's reported timings follow the step-time model exactly, on a fake clock; on the real clock no step ends early.</summary>
public sealed class SimulatedTimingTests
{
    [Fact]
    public async Task GenerateAsync_OnFakeClock_PrefillAndDecodeAreTheModelledSteps()
    {
        var time = new FakeTimeProvider();
        var simulation = new SimulationOptions
        {
            DecodeBaseMilliseconds = 2,
            DecodePerSequenceMilliseconds = 1,
            PrefillPerTokenMilliseconds = 0.5,
            EndOfSequenceProbability = 0,
        };
        await using var engine = SimulatedEngine.Load(simulation, time);

        var run = Run.CollectAsync(engine, Run.Greedy(maxTokens: 4));
        while (!run.IsCompleted)
        {
            // Let the step loop reach its timer, then move simulated time on; nothing depends on how long this takes.
            await Task.Delay(1);
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var result = await run;
        var prefill = Assert.IsType<PrefillCompleted>(result.Events[0]);
        Assert.Equal(TimeSpan.FromMilliseconds(2 + (0.5 * prefill.PromptTokens)), prefill.Prefill);

        // Three more steps of one sequence each: 3 x (a + b).
        Assert.Equal(TimeSpan.FromMilliseconds(9), result.Completed.Decode);
        Assert.Equal(4, result.Tokens.Count);
    }

    [Fact]
    public async Task GenerateAsync_OnTheRealClock_NoStepEndsBeforeItsModelledDuration()
    {
        // A step of a fraction of a millisecond more than a whole number: millisecond timers on a coarse clock
        // ended such steps up to about half a millisecond early, and others late.
        var simulation = new SimulationOptions
        {
            DecodeBaseMilliseconds = 2.6,
            DecodePerSequenceMilliseconds = 0,
            PrefillPerTokenMilliseconds = 0,
            EndOfSequenceProbability = 0,
        };
        await using var engine = SimulatedEngine.Load(simulation);

        var early = new List<double>();
        for (var i = 0; i < 40; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await foreach (var generationEvent in engine.GenerateAsync(Run.Request(Run.Greedy(maxTokens: 1))))
            {
                if (generationEvent is PrefillCompleted prefill)
                {
                    var waited = Stopwatch.GetElapsedTime(started);
                    Assert.Equal(TimeSpan.FromMilliseconds(2.6), prefill.Prefill);
                    if (waited < prefill.Prefill)
                    {
                        early.Add(waited.TotalMilliseconds);
                    }
                }
            }
        }

        Assert.Empty(early);
    }
}
