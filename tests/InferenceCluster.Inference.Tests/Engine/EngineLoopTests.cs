using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Output;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Inference.Tests.Engine;

/// <summary>
/// The engine loop on the bundled model when GenAI's step fails or the loop itself breaks. Each test holds the
/// loop's steps where it needs to (<see cref="StepScript"/>), so what must happen before a step is checked while
/// that step waits, with no timing involved; the timeout only turns a reader that is never woken into a failure.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class EngineLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Token ids of the bundled model's vocabulary (512); the turns below have fixed lengths, whatever the text.
    private static readonly int[] Prompt = [17, 42, 99, 123, 200, 301, 7, 64];

    [Fact]
    public async Task Run_StepFails_ReaderOfTheFailedRequestWokenBeforeTheNextStepAndLaterArrivalsRun()
    {
        var script = new StepScript();
        await using var loop = await StartAsync(script);
        using var failing = script.Hold(new GenAiException("injected step failure"));
        using var next = script.Hold();
        var failed = Session(maxTokens: 8);
        var failedEnd = ReadToEndAsync(failed);
        loop.Submit(failed);
        await failing.EnteredAsync(Timeout);

        // Arrives during the failing step, so the loop has work again at once and goes into the next step.
        var arrival = Session(maxTokens: 4);
        var arrivalEnd = ReadToEndAsync(arrival);
        loop.Submit(arrival);
        failing.LetGo();
        await next.EnteredAsync(Timeout);

        var (failedTokens, failure) = await failedEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Failed, failure.Reason);
        Assert.Equal("injected step failure", failure.Error);
        Assert.Equal(0, failedTokens);

        next.LetGo();
        var (tokens, finished) = await arrivalEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Length, finished.Reason);
        Assert.Equal(4, tokens);
    }

    [Fact]
    public async Task Progress_StepThatDoesNotComeBack_StandsStillUntilItDoes()
    {
        // What the worker's engine watchdog reads: a step held on the owner thread is a call into GenAI that hangs.
        var script = new StepScript();
        await using var loop = await StartAsync(script);
        using var hung = script.Hold();
        using var next = script.Hold();
        var running = Session(maxTokens: 8);
        var runningEnd = ReadToEndAsync(running);
        var idle = loop.Progress;
        loop.Submit(running);
        await hung.EnteredAsync(Timeout);

        // The turn was begun (a call that came back), then the step went in and has not come back.
        var duringStep = loop.Progress;
        Assert.True(duringStep > idle, $"beginning the turn was not counted ({idle} then {duringStep})");
        await Task.Yield();
        Assert.Equal(duringStep, loop.Progress);

        hung.LetGo();
        await next.EnteredAsync(Timeout);
        Assert.True(loop.Progress > duringStep, $"the step that came back was not counted ({duringStep} then {loop.Progress})");

        next.LetGo();
        var (tokens, finished) = await runningEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Length, finished.Reason);
        Assert.Equal(8, tokens);
    }

    [Fact]
    public async Task Submit_AfterTheLoopEndedOnAnUnexpectedException_FailsAtOnceSayingTheEngineIsStopped()
    {
        var script = new StepScript();
        await using var loop = await StartAsync(script);
        using var crashing = script.Hold(new InvalidOperationException("injected crash"));
        var running = Session(maxTokens: 8);
        var runningEnd = ReadToEndAsync(running);
        loop.Submit(running);
        await crashing.EnteredAsync(Timeout);
        crashing.LetGo();
        var (_, crashed) = await runningEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Failed, crashed.Reason);
        Assert.Equal("engine loop crashed: injected crash", crashed.Error);

        var released = 0;
        var late = Session(maxTokens: 8, () => Interlocked.Increment(ref released));
        var lateEnd = ReadToEndAsync(late);
        loop.Submit(late);

        var (tokens, stopped) = await lateEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Failed, stopped.Reason);
        Assert.Equal("engine is stopped", stopped.Error);
        Assert.Equal(0, tokens);
        Assert.Equal(1, Volatile.Read(ref released));
    }

    [Fact]
    public async Task Cancel_BeforeTheLoopTakesTheSubmission_ReaderWokenBeforeTheNextStep()
    {
        var script = new StepScript();
        await using var loop = await StartAsync(script);
        using var first = script.Hold();
        using var second = script.Hold();
        var running = Session(maxTokens: 64);
        var runningEnd = ReadToEndAsync(running);
        loop.Submit(running);
        await first.EnteredAsync(Timeout);

        // Submitted and cancelled during a step: the loop ends it while it reads its channel, before the next step.
        var cancelled = Session(maxTokens: 8);
        var cancelledEnd = ReadToEndAsync(cancelled);
        loop.Submit(cancelled);
        loop.Cancel(cancelled);
        first.LetGo();
        await second.EnteredAsync(Timeout);

        var (tokens, finished) = await cancelledEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Cancelled, finished.Reason);
        Assert.Equal(0, tokens);

        loop.Cancel(running);
        second.LetGo();
        var (_, ended) = await runningEnd.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Cancelled, ended.Reason);
    }

    [Fact]
    public async Task Run_ClockStopped_FirstTokenReachesItsReaderBeforeTheNextStepAndTheEndBringsTheRest()
    {
        // A stopped clock keeps the reader thread's wake-up interval from ever ending: only first tokens, ends,
        // new requests and the loop's own flushes may wake a reader, and a missed one never arrives.
        var script = new StepScript();
        await using var loop = await StartAsync(script, new FakeTimeProvider());
        var earlier = Session(maxTokens: 4);
        var earlierEnd = ReadToEndAsync(earlier);
        loop.Submit(earlier);
        Assert.Equal(4, (await earlierEnd.WaitAsync(Timeout)).Tokens);

        using var prefill = script.Hold();
        using var second = script.Hold();
        var session = Session(maxTokens: 8);
        var firstBatch = new TaskCompletionSource<List<PathOutput>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var end = ReadToEndAsync(session, firstBatch);
        loop.Submit(session);
        await prefill.EnteredAsync(Timeout);
        prefill.LetGo();
        await second.EnteredAsync(Timeout);

        var first = await firstBatch.Task.WaitAsync(Timeout);
        Assert.Single(first);
        Assert.IsType<PathToken>(first[0]);

        second.LetGo();
        var (tokens, finished) = await end.WaitAsync(Timeout);
        Assert.Equal(PathFinishReason.Length, finished.Reason);
        Assert.Equal(8, tokens);
    }

    private static Task<EngineLoop> StartAsync(StepScript script, TimeProvider? time = null) => EngineLoop.StartAsync(
        () => NativeEngine.Create(TestModel.PagedPath, "cpu", InferenceEngineFactory.EngineOverlay(dynamicBatching: true, maxConcurrency: 4, intraOpThreads: 0),
            new InferenceOptions().EventBufferCapacity),
        TimeSpan.FromMinutes(5),
        NullLogger.Instance,
        step: script.Run,
        time: time);

    /// <summary>A greedy turn of exactly <paramref name="maxTokens"/> tokens, unless it is ended early.</summary>
    private static EngineSession Session(int maxTokens, Action? onReleased = null) => new(
        Guid.NewGuid().ToString("N"),
        Prompt,
        new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = maxTokens, MinTokens = maxTokens },
        withStops: false,
        new PathOutputBuffer(),
        onReleased ?? (() => { }));

    /// <summary>
    /// Reads a session's outputs to its end. It parks on the buffer before it returns, so a later publish must
    /// wake it: it never finds the end by looking again on its own.
    /// </summary>
    private static async Task<(int Tokens, PathFinished Finished)> ReadToEndAsync(
        EngineSession session, TaskCompletionSource<List<PathOutput>>? firstBatch = null)
    {
        var tokens = 0;
        var batch = new List<PathOutput>();
        while (await session.Output.WaitToReadAsync())
        {
            batch.Clear();
            batch = session.Output.TakeAll(batch);
            firstBatch?.TrySetResult([.. batch]);
            foreach (var output in batch)
            {
                if (output is PathFinished finished)
                {
                    return (tokens, finished);
                }

                tokens++;
            }
        }

        throw new InvalidOperationException("The output ended without a final PathFinished.");
    }
}
