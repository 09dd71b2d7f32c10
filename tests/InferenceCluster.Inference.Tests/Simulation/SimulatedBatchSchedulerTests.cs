using InferenceCluster.Inference.Simulation;

namespace InferenceCluster.Inference.Tests.Simulation;

/// <summary>The step-time model and continuous batching of the simulated accelerator, on simulated time alone.</summary>
public sealed class SimulatedBatchSchedulerTests
{
    private static SimulationOptions Options(int maxBatch = 8, int kvBlocks = 1000, int prefillBudget = 8192, double slowdown = 1) => new()
    {
        DecodeBaseMilliseconds = 2,
        DecodePerSequenceMilliseconds = 0.5,
        PrefillPerTokenMilliseconds = 0.25,
        MaxBatch = maxBatch,
        KvBlocks = kvBlocks,
        KvBlockSize = 4,
        MaxPrefillTokensPerStep = prefillBudget,
        Slowdown = slowdown,
    };

    private static SimulatedSequence Sequence(int prompt = 4, int maxTokens = 4) =>
        new(prompt, maxTokens, 0, 1, SimulatedBatchScheduler.BlocksFor(prompt, maxTokens, 4));

    [Fact]
    public void Plan_ArrivalsTogether_PrefilledInOneStepThenDecodedTogether()
    {
        var scheduler = new SimulatedBatchScheduler(Options());
        var sequences = Enumerable.Range(0, 3).Select(_ => Sequence(prompt: 4)).ToList();
        sequences.ForEach(scheduler.Enqueue);

        var prefill = scheduler.Plan([]);
        var decode = scheduler.Plan([]);

        // a + c x 12 prompt tokens, then a + b x 3 sequences.
        Assert.Equal(TimeSpan.FromMilliseconds(5), prefill.Duration);
        Assert.Equal(sequences, prefill.Admitted);
        Assert.Equal(TimeSpan.FromMilliseconds(3.5), decode.Duration);
        Assert.Empty(decode.Admitted);
        Assert.Equal(3, decode.Sequences.Count);
    }

    [Fact]
    public void Plan_ArrivalDuringDecode_JoinsTheRunningBatch()
    {
        var scheduler = new SimulatedBatchScheduler(Options());
        scheduler.Enqueue(Sequence());
        scheduler.Plan([]);
        var late = Sequence(prompt: 8);
        scheduler.Enqueue(late);

        var step = scheduler.Plan([]);

        // The running sequence decodes (b) while the newcomer is prefilled (c x 8) in the same step.
        Assert.Equal(TimeSpan.FromMilliseconds(2 + 0.5 + 2), step.Duration);
        Assert.Equal([late], step.Admitted);
        Assert.Equal(2, step.Sequences.Count);
    }

    [Fact]
    public void Plan_BatchFull_ArrivalWaitsUntilASequenceRetires()
    {
        var scheduler = new SimulatedBatchScheduler(Options(maxBatch: 2));
        var sequences = Enumerable.Range(0, 3).Select(_ => Sequence()).ToList();
        sequences.ForEach(scheduler.Enqueue);

        var first = scheduler.Plan([]);
        var full = scheduler.Plan([]);
        var waitingWhileFull = scheduler.Waiting;
        scheduler.Retire(sequences[0]);
        var joined = scheduler.Plan([]);

        Assert.Equal(2, first.Admitted.Count);
        Assert.Empty(full.Admitted);
        Assert.Equal(1, waitingWhileFull);
        Assert.Equal([sequences[2]], joined.Admitted);
        Assert.Equal(TimeSpan.FromMilliseconds(2 + 0.5 + 1), joined.Duration);
    }

    [Fact]
    public void Plan_KvBlocksTaken_HeadWaitsUntilBlocksFree()
    {
        // Each sequence reserves (4 + 4) / 4 = 2 blocks; 3 blocks hold one sequence at a time.
        var scheduler = new SimulatedBatchScheduler(Options(kvBlocks: 3));
        var first = Sequence();
        var second = Sequence();
        scheduler.Enqueue(first);
        scheduler.Enqueue(second);

        var step = scheduler.Plan([]);
        Assert.Equal([first], step.Admitted);
        Assert.Equal(1, scheduler.FreeBlocks);
        Assert.Equal(1, scheduler.Waiting);

        scheduler.Retire(first);
        var next = scheduler.Plan([]);

        Assert.Equal([second], next.Admitted);
        Assert.Equal(1, scheduler.FreeBlocks);
    }

    [Fact]
    public void Plan_PrefillBudget_SpreadsArrivalsOverSteps()
    {
        var scheduler = new SimulatedBatchScheduler(Options(prefillBudget: 10));
        var sequences = Enumerable.Range(0, 3).Select(_ => Sequence(prompt: 6)).ToList();
        sequences.ForEach(scheduler.Enqueue);

        var admitted = Enumerable.Range(0, 3).Select(_ => scheduler.Plan([]).Admitted.Count).ToList();

        Assert.Equal([1, 1, 1], admitted);
    }

    [Fact]
    public void Plan_PromptLongerThanBudget_PrefilledAloneInOneLongerStep()
    {
        var scheduler = new SimulatedBatchScheduler(Options(prefillBudget: 10));
        scheduler.Enqueue(Sequence(prompt: 40));

        var step = scheduler.Plan([]);

        Assert.Single(step.Admitted);
        Assert.Equal(TimeSpan.FromMilliseconds(2 + 10), step.Duration);
    }

    [Fact]
    public void Plan_CancelledSequences_DroppedAndTheirBlocksFreed()
    {
        var scheduler = new SimulatedBatchScheduler(Options());
        var running = Sequence();
        var waiting = Sequence();
        scheduler.Enqueue(running);
        scheduler.Plan([]);
        scheduler.Enqueue(waiting);
        running.Cancel();
        waiting.Cancel();
        var dropped = new List<SimulatedSequence>();

        var step = scheduler.Plan(dropped);

        Assert.True(step.IsIdle);
        Assert.Equal(2, dropped.Count);
        Assert.Equal(1000, scheduler.FreeBlocks);
    }

    [Fact]
    public void Plan_Slowdown_ScalesEveryTerm()
    {
        var scheduler = new SimulatedBatchScheduler(Options(slowdown: 10));
        scheduler.Enqueue(Sequence(prompt: 4));

        var prefill = scheduler.Plan([]);
        var decode = scheduler.Plan([]);

        Assert.Equal(TimeSpan.FromMilliseconds(30), prefill.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(25), decode.Duration);
    }
}
