using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Output;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Inference.Tests;

/// <summary>The thread that resumes the readers an engine step woke.</summary>
public sealed class ReaderThreadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(1);

    // Long enough for a wrongly resumed reader to show; a correct one is not resumed by anything but a signal.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Wake_WaitingReader_ResumesItOnTheReaderThread()
    {
        using var readers = new ReaderThread("test-readers", TimeSpan.Zero);
        var buffer = new PathOutputBuffer();
        var resumedOn = ResumedOnAsync(buffer);

        readers.Wake([Published(buffer)], urgent: false);

        Assert.Equal("test-readers", await resumedOn.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Wake_SoonAfterTheLastWakeUp_ReaderWaitsUntilTheIntervalIsOver()
    {
        var time = new FakeTimeProvider();
        using var readers = await WokenOnceAsync(new ReaderThread("test-readers", Interval, time));
        var buffer = new PathOutputBuffer();
        var resumed = ResumedOnAsync(buffer);

        time.Advance(Interval / 2);
        readers.Wake([Published(buffer)], urgent: false);
        await Task.Delay(Settle);
        Assert.False(resumed.IsCompleted);

        time.Advance(Interval / 2);
        readers.Wake([], urgent: false);

        Assert.Equal("test-readers", await resumed.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Wake_TheIntervalAfterTheLastWakeUp_ResumesTheReaderAtOnce()
    {
        var time = new FakeTimeProvider();
        using var readers = await WokenOnceAsync(new ReaderThread("test-readers", Interval, time));
        var buffer = new PathOutputBuffer();
        var resumed = ResumedOnAsync(buffer);

        time.Advance(Interval);
        readers.Wake([Published(buffer)], urgent: false);

        Assert.Equal("test-readers", await resumed.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Wake_UrgentSoonAfterTheLastWakeUp_ResumesEveryQueuedReaderAtOnce()
    {
        var time = new FakeTimeProvider();
        using var readers = await WokenOnceAsync(new ReaderThread("test-readers", Interval, time));
        var deferred = new PathOutputBuffer();
        var urgent = new PathOutputBuffer();
        var resumedDeferred = ResumedOnAsync(deferred);
        var resumedUrgent = ResumedOnAsync(urgent);

        readers.Wake([Published(deferred)], urgent: false);
        await Task.Delay(Settle);
        Assert.False(resumedDeferred.IsCompleted);

        readers.Wake([Published(urgent)], urgent: true);

        await Task.WhenAll(resumedDeferred, resumedUrgent).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Flush_ReadersLeftWaiting_ResumesThem()
    {
        var time = new FakeTimeProvider();
        using var readers = await WokenOnceAsync(new ReaderThread("test-readers", Interval, time));
        var buffer = new PathOutputBuffer();
        var resumed = ResumedOnAsync(buffer);

        readers.Wake([Published(buffer)], urgent: false);
        await Task.Delay(Settle);
        Assert.False(resumed.IsCompleted);

        readers.Flush();

        Assert.Equal("test-readers", await resumed.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Dispose_ReadersLeftWaiting_ResumesThemBeforeTheThreadEnds()
    {
        var time = new FakeTimeProvider();
        var readers = await WokenOnceAsync(new ReaderThread("test-readers", Interval, time));
        var buffer = new PathOutputBuffer();
        var resumed = ResumedOnAsync(buffer);
        readers.Wake([Published(buffer)], urgent: false);

        readers.Dispose();

        Assert.Equal("test-readers", await resumed.WaitAsync(Timeout));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Wake_ManyStepsWhileTheThreadSleepsAndRuns_EveryReaderGetsEveryOutput(int intervalMs)
    {
        const int Steps = 3000;
        using var readers = new ReaderThread("test-readers", TimeSpan.FromMilliseconds(intervalMs));
        var buffers = Enumerable.Range(0, 4).Select(_ => new PathOutputBuffer()).ToList();
        var reads = buffers.Select(ReadCountAsync).ToList();
        var waking = new List<PathOutputBuffer>();

        // One producer, as the engine owner thread: a step stages a token per request, publishes, wakes once;
        // only the ends are urgent, so with an interval most wake-ups are left to later steps.
        await Task.Run(() =>
        {
            for (var step = 0; step <= Steps; step++)
            {
                foreach (var buffer in buffers)
                {
                    if (step < Steps)
                    {
                        buffer.Add(new PathToken(step, null));
                    }
                    else
                    {
                        buffer.Complete(new PathFinished(PathFinishReason.Length, 1, Steps, 0));
                    }

                    if (buffer.Publish())
                    {
                        waking.Add(buffer);
                    }
                }

                readers.Wake(waking, urgent: step == Steps);
                waking.Clear();
                if (step % 100 == 0)
                {
                    // Let the reader thread fall asleep now and then, so every wake path is taken.
                    Thread.Sleep(1);
                }
            }
        }).WaitAsync(Timeout);

        Assert.All(await Task.WhenAll(reads).WaitAsync(Timeout), count => Assert.Equal(Steps, count));
    }

    [Fact]
    public async Task Dispose_FromAReaderOnTheThread_ReturnsAndTheThreadEnds()
    {
        var readers = new ReaderThread("test-readers", TimeSpan.Zero);
        var buffer = new PathOutputBuffer();
        var disposed = OffTheReaderThread(async () =>
        {
            await buffer.WaitToReadAsync().ConfigureAwait(false);

            // Continues on the reader thread, as a consumer that shuts the engine down from its stream would.
            readers.Dispose();
            return Thread.CurrentThread.Name;
        });

        readers.Wake([Published(buffer)], urgent: true);

        Assert.Equal("test-readers", await disposed.WaitAsync(Timeout));
    }

    private static PathOutputBuffer Published(PathOutputBuffer buffer)
    {
        buffer.Add(new PathToken(1, null));
        Assert.True(buffer.Publish());
        return buffer;
    }

    /// <summary>The thread after one wake-up at the fake clock's current time, asleep again.</summary>
    private static async Task<ReaderThread> WokenOnceAsync(ReaderThread readers)
    {
        await AsleepAsync(readers);
        var first = new PathOutputBuffer();
        var resumed = ResumedOnAsync(first);
        readers.Wake([Published(first)], urgent: false);
        await resumed.WaitAsync(Timeout);
        await AsleepAsync(readers);
        return readers;
    }

    private static async Task AsleepAsync(ReaderThread readers)
    {
        // With nothing queued the thread goes to sleep; only a sleeping thread is left asleep by a wake.
        var deadline = DateTime.UtcNow + Timeout;
        while (!readers.Asleep && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1);
        }

        Assert.True(readers.Asleep);
    }

    // The readers' results complete off the reader thread: a test continuing there would join that thread from itself when it disposes it.
    private static Task<string?> ResumedOnAsync(PathOutputBuffer buffer) => OffTheReaderThread(async () =>
    {
        await buffer.WaitToReadAsync().ConfigureAwait(false);
        return Thread.CurrentThread.Name;
    });

    private static Task<int> ReadCountAsync(PathOutputBuffer buffer) => OffTheReaderThread(async () =>
    {
        var count = 0;
        var batch = new List<PathOutput>();
        while (await buffer.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            batch = buffer.TakeAll(batch);
            count += batch.Count(output => output is PathToken);
        }

        return count;
    });

    private static Task<T> OffTheReaderThread<T>(Func<Task<T>> reader)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = reader().ContinueWith(
            result.SetFromTask, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return result.Task;
    }
}
