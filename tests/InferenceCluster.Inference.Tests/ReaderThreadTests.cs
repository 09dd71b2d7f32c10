using InferenceCluster.Inference.Engine;

namespace InferenceCluster.Inference.Tests;

/// <summary>The thread that resumes the readers an engine step woke.</summary>
public sealed class ReaderThreadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Wake_WaitingReader_ResumesItOnTheReaderThread()
    {
        using var readers = new ReaderThread("test-readers");
        var buffer = new PathOutputBuffer();
        var resumedOn = ResumedOnAsync(buffer);
        buffer.Add(new PathToken(1, null));
        Assert.True(buffer.Publish());

        readers.Wake([buffer]);

        Assert.Equal("test-readers", await resumedOn.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Wake_ManyStepsWhileTheThreadSleepsAndRuns_EveryReaderGetsEveryOutput()
    {
        const int Steps = 3000;
        using var readers = new ReaderThread("test-readers");
        var buffers = Enumerable.Range(0, 4).Select(_ => new PathOutputBuffer()).ToList();
        var reads = buffers.Select(ReadCountAsync).ToList();
        var waking = new List<PathOutputBuffer>();

        // One producer, as the engine owner thread: a step stages a token per request, publishes, wakes once.
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

                if (waking.Count > 0)
                {
                    readers.Wake(waking);
                    waking.Clear();
                }

                if (step % 100 == 0)
                {
                    // Let the reader thread fall asleep now and then, so both wake paths are taken.
                    Thread.Sleep(1);
                }
            }
        }).WaitAsync(Timeout);

        Assert.All(await Task.WhenAll(reads).WaitAsync(Timeout), count => Assert.Equal(Steps, count));
    }

    private static async Task<string?> ResumedOnAsync(PathOutputBuffer buffer)
    {
        await buffer.WaitToReadAsync().ConfigureAwait(false);
        return Thread.CurrentThread.Name;
    }

    private static async Task<int> ReadCountAsync(PathOutputBuffer buffer)
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
    }
}
