using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InferenceCluster.Gateway.Tests;

/// <summary>An answer that arrived in full before the request's end is returned, not replaced by the end's error.</summary>
public sealed class CompletionSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ReadAsync_DrainEndedWithFinalReplyBuffered_ReturnsTheReply()
    {
        var time = new FakeTimeProvider();
        using var drain = new CancellationTokenSource();
        var (session, pending) = Start(time, drain.Token);
        using (session)
        {
            pending.Deliver(ReplyEvent.Of(Finished(pending.RequestId)));
            await drain.CancelAsync();

            var reply = await session.ReadAsync();

            Assert.NotNull(reply.Finished);
        }
    }

    [Fact]
    public async Task ReadAsync_DeadlinePassedWithFinalReplyBuffered_ReturnsTheReply()
    {
        var time = new FakeTimeProvider();
        var (session, pending) = Start(time, CancellationToken.None);
        using (session)
        {
            pending.Deliver(ReplyEvent.Of(Finished(pending.RequestId)));
            time.Advance(Timeout);

            using var stop = new CancellationTokenSource();
            var reply = await session.ReadAsync(stop.Token);

            Assert.NotNull(reply.Finished);
        }
    }

    [Fact]
    public async Task ReadAsync_DrainEndedWithNothingBuffered_ThrowsShuttingDown()
    {
        var time = new FakeTimeProvider();
        using var drain = new CancellationTokenSource();

        // Not disposed: its worker may still run, and disposing would publish a cancel on a bus this test has not.
        var (session, _) = Start(time, drain.Token);
        await drain.CancelAsync();

        var error = await Assert.ThrowsAsync<OpenAIException>(() => session.ReadAsync().AsTask());

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("server_shutting_down", error.Code);
    }

    private static (CompletionSession Session, PendingCompletion Pending) Start(TimeProvider time, CancellationToken drainEnded)
    {
        var completions = new PendingCompletions(NullLogger<PendingCompletions>.Instance);
        var options = Options.Create(new GatewayOptions { RequestTimeout = Timeout });

        // Only the pending requests are touched: a request whose worker said it ended is disposed without a cancel.
        var dispatcher = new CompletionDispatcher(
            null!, null!, completions, null!, options, time, null!, null!, NullLogger<CompletionDispatcher>.Instance);
        var pending = completions.Register(Guid.NewGuid());
        return (new CompletionSession(dispatcher, pending, Timeout, time, CancellationToken.None, drainEnded), pending);
    }

    private static CompletionFinished Finished(Guid requestId) => new()
    {
        RequestId = requestId,
        Position = 0,
        FinishReason = FinishReason.Stop,
        Usage = new CompletionUsage(1, 0, 0),
        Timings = new CompletionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        WorkerId = "worker-1",
        ModelRevision = "rev-1",
    };
}
