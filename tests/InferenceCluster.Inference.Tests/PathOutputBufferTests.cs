using InferenceCluster.Inference.Engine;
using InferenceCluster.Inference.Output;

namespace InferenceCluster.Inference.Tests;

/// <summary>The per-request buffer between a generation path and its reader.</summary>
public sealed class PathOutputBufferTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Publish_ReaderWaiting_AsksForOneWakeAndNotBefore()
    {
        var buffer = new PathOutputBuffer();
        var wait = buffer.WaitToReadAsync();
        Assert.False(wait.IsCompleted);

        buffer.Add(Token(1));
        buffer.Add(Token(2));
        Assert.False(wait.IsCompleted);

        Assert.True(buffer.Publish());
        Assert.False(wait.IsCompleted);
        buffer.Add(Token(3));
        Assert.False(buffer.Publish());

        buffer.Wake();
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
        Assert.Equal([1, 2, 3], TokenIds(buffer.TakeAll([])));
    }

    [Fact]
    public async Task Publish_ReaderNotWaiting_AsksForNoWake()
    {
        var buffer = new PathOutputBuffer();
        buffer.Add(Token(1));

        Assert.False(buffer.Publish());
        var wait = buffer.WaitToReadAsync();

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
    }

    [Fact]
    public void Publish_NothingStaged_AsksForNoWakeAndReaderKeepsWaiting()
    {
        var buffer = new PathOutputBuffer();
        var wait = buffer.WaitToReadAsync();

        Assert.False(buffer.Publish());
        Assert.False(wait.IsCompleted);
    }

    [Fact]
    public void TakeAll_SeveralSteps_ReturnsEverythingPublishedInOrder()
    {
        var buffer = new PathOutputBuffer();
        buffer.Add(Token(1));
        buffer.Add(Token(2));
        buffer.Publish();
        buffer.Add(Token(3));
        buffer.Publish();
        buffer.Add(Token(4));

        Assert.Equal([1, 2, 3], TokenIds(buffer.TakeAll([])));
        Assert.False(buffer.WaitToReadAsync().IsCompleted);
        Assert.True(buffer.Publish());
        buffer.Wake();
        Assert.Equal([4], TokenIds(buffer.TakeAll([])));
    }

    [Fact]
    public async Task Complete_AfterTokens_EndsAfterThemAndIgnoresWhatFollows()
    {
        var buffer = new PathOutputBuffer();
        var failed = new PathFinished(PathFinishReason.Failed, 3, 2, 0, "engine failed the request");
        buffer.Add(Token(1));
        buffer.Publish();
        buffer.Add(Token(2));
        buffer.Complete(failed);
        buffer.Add(Token(3));
        buffer.Complete(new PathFinished(PathFinishReason.Length, 3, 3, 0));
        buffer.Publish();

        Assert.True(await buffer.WaitToReadAsync());
        var outputs = buffer.TakeAll([]);

        Assert.Equal(new PathOutput[] { Token(1), Token(2), failed }, outputs);
        var end = buffer.WaitToReadAsync();
        Assert.True(end.IsCompletedSuccessfully);
        Assert.False(await end);
    }

    [Fact]
    public async Task Complete_NotYetPublished_ReaderStillWaits()
    {
        var buffer = new PathOutputBuffer();
        var wait = buffer.WaitToReadAsync();

        buffer.Complete(new PathFinished(PathFinishReason.Cancelled, 3, 0, 0));

        Assert.False(wait.IsCompleted);
        Assert.True(buffer.Publish());
        buffer.Wake();
        Assert.True(await wait);
    }

    [Fact]
    public async Task Wake_RunsTheReaderOnTheWakingThread()
    {
        var buffer = new PathOutputBuffer();
        var readerThread = ReadOnceAsync(buffer);
        var wakingThread = 0;

        var producer = new Thread(() =>
        {
            wakingThread = Environment.CurrentManagedThreadId;
            buffer.Add(Token(1));
            if (buffer.Publish())
            {
                buffer.Wake();
            }
        });
        producer.Start();
        producer.Join();

        Assert.Equal(wakingThread, await readerThread.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Buffer_ProducerRacesReaderUpToAnEarlyEnd_ReaderGetsEveryOutputInOrderThenTheEnd()
    {
        for (var run = 0; run < 200; run++)
        {
            var buffer = new PathOutputBuffer();
            var stepsBeforeEnd = Random.Shared.Next(0, 200);
            var reader = ReadAllAsync(buffer);
            var producer = Task.Run(() =>
            {
                var next = 0;
                for (var step = 0; step < stepsBeforeEnd; step++)
                {
                    for (var i = 0; i < 1 + (step % 3); i++)
                    {
                        buffer.Add(Token(next++));
                    }

                    buffer.PublishAndWakeOnPool();
                }

                // As a cancel lands: the end is staged with the last tokens and published in the same step.
                buffer.Add(Token(next++));
                buffer.Complete(new PathFinished(PathFinishReason.Cancelled, 1, next, 0));
                buffer.Add(Token(next));
                buffer.PublishAndWakeOnPool();
                return next;
            });

            var produced = await producer.WaitAsync(Timeout);
            var outputs = await reader.WaitAsync(Timeout);

            Assert.Equal(Enumerable.Range(0, produced), TokenIds(outputs));
            Assert.Equal(PathFinishReason.Cancelled, Assert.IsType<PathFinished>(outputs[^1]).Reason);
        }
    }

    private static async Task<int> ReadOnceAsync(PathOutputBuffer buffer)
    {
        await buffer.WaitToReadAsync().ConfigureAwait(false);
        return Environment.CurrentManagedThreadId;
    }

    private static async Task<List<PathOutput>> ReadAllAsync(PathOutputBuffer buffer)
    {
        var all = new List<PathOutput>();
        var batch = new List<PathOutput>();
        while (await buffer.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            batch = buffer.TakeAll(batch);
            all.AddRange(batch);
        }

        return all;
    }

    private static PathToken Token(int id) => new(id, null);

    private static List<int> TokenIds(IEnumerable<PathOutput> outputs) => outputs.OfType<PathToken>().Select(t => t.TokenId).ToList();
}
