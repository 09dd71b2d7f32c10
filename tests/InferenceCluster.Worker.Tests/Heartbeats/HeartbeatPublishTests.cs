using System.Reflection;
using InferenceCluster.Worker.Heartbeats;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.Heartbeats;

public sealed class HeartbeatPublishTests
{
    [Fact]
    public async Task Publish_HangsWhileTheBrokerRestarts_NextBeatIsPublishedAnyway()
    {
        // MassTransit retries a publish begun while the broker is away on a back-off growing to 30 s, and a publish
        // begun as it restarts can hang outright; the worker must not stay silent that long.
        var bus = DispatchProxy.Create<IBus, FirstPublishHangsBus>();
        var recorder = (FirstPublishHangsBus)(object)bus;
        var engine = new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"]));
        var options = Options.Create(new WorkerOptions { Id = "w1", HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
        using var service = new HeartbeatService(bus, engine, new ModelQueueActivity(TimeProvider.System), options, TimeProvider.System, NullLogger<HeartbeatService>.Instance);

        await service.StartAsync(CancellationToken.None);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (recorder.Publishes < 2 && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }

        Assert.True(recorder.Publishes >= 2, $"{recorder.Publishes} heartbeat publish(es) in 10 s at a 100 ms interval: the hung first one held back the rest");

        // Bounded: the hung publish must not hang the test's teardown as well.
        using var stopWithin = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await service.StopAsync(stopWithin.Token);
    }

    /// <summary>A bus whose first publish never completes, not even when cancelled; later ones complete at once.</summary>
    public class FirstPublishHangsBus : DispatchProxy
    {
        private int _publishes;

        public int Publishes => Volatile.Read(ref _publishes);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == "get_Address")
            {
                // Named in the log line of a beat that failed (the hung one).
                return new Uri("rabbitmq://127.0.0.1:5672/");
            }

            if (targetMethod?.Name != nameof(IPublishEndpoint.Publish))
            {
                throw new NotSupportedException($"{targetMethod?.Name} is not part of this fake");
            }

            return Interlocked.Increment(ref _publishes) == 1 ? new TaskCompletionSource().Task : Task.CompletedTask;
        }
    }
}
