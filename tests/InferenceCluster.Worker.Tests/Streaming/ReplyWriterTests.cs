using InferenceCluster.Contracts;
using InferenceCluster.Worker.Streaming;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceCluster.Worker.Tests.Streaming;

public sealed class ReplyWriterTests
{
    private static readonly Uri ReplyAddress = new("queue:replies-under-test");

    [Fact]
    public async Task SendFailed_AfterADeltaThatWasNotSent_StartsWhereTheSentDeltasEnd()
    {
        // The failure started after the delta whose send was cancelled: the gateway holds a reply that starts past what it
        // has received until the gap is filled, and nothing fills it, so the client waited for its deadline.
        await using var services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(validateScopes: true);
        var harness = services.GetRequiredService<ITestHarness>();
        await harness.Start();
        try
        {
            var endpoint = DroppingEndpoint.Over(await harness.Bus.GetSendEndpoint(ReplyAddress), from: 2);
            using var consume = new CancellationTokenSource();
            var requestId = Guid.NewGuid();
            var writer = new ReplyWriter(endpoint, ReplyAddress, requestId, "worker-under-test", consume.Token);

            await writer.SendDeltaAsync(new PendingDelta(["a", "b"], null));
            await consume.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.SendDeltaAsync(new PendingDelta(["c", "d", "e"], null)));
            await writer.SendFailedAsync(FailureCodes.WorkerInterrupted, "interrupted", param: null, retryable: true, CancellationToken.None);

            Assert.True(await harness.Sent.Any<CompletionFailed>(sent => sent.Context.Message.RequestId == requestId));
            var failed = harness.Sent.Select<CompletionFailed>(sent => sent.Context.Message.RequestId == requestId).Single().Context.Message;
            var delta = harness.Sent.Select<CompletionDelta>(sent => sent.Context.Message.RequestId == requestId).Single().Context.Message;
            Assert.Equal(2, delta.Position + delta.Tokens.Count);
            Assert.Equal(2, failed.Position);
        }
        finally
        {
            await harness.Stop();
        }
    }

    /// <summary>Passes every send on, but a delta starting at or after a position, whose send ends cancelled unsent.</summary>
    public class DroppingEndpoint : System.Reflection.DispatchProxy
    {
        private ISendEndpoint? _inner;
        private int _from;

        public static ISendEndpoint Over(ISendEndpoint inner, int from)
        {
            var proxy = Create<ISendEndpoint, DroppingEndpoint>();
            var dropping = (DroppingEndpoint)(object)proxy;
            (dropping._inner, dropping._from) = (inner, from);
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            return args is [CompletionDelta delta, ..] && delta.Position >= _from
                ? Task.FromCanceled(new CancellationToken(canceled: true))
                : targetMethod.Invoke(_inner, args);
        }
    }
}
