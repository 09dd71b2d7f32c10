using System.Reflection;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Gateway.Tests.Dispatch;

/// <summary>A cancel the broker did not take is logged by its bus error, without the broker's user or password.</summary>
public sealed class WorkerCancelsLogTests
{
    [Fact]
    public async Task Send_PublishFailsNamingTheBrokerWithItsUser_WarnedWithoutUserOrPasswordOrStack()
    {
        var log = new FakeLogger<WorkerCancels>();
        var cancels = new WorkerCancels(FailingBus.Create(new InvalidOperationException(LogAssert.BusError)), log);

        cancels.Send(Guid.NewGuid(), DateTimeOffset.UnixEpoch);
        await cancels.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        var warning = Assert.Single(log.Collector.GetSnapshot());
        Assert.Contains("(InvalidOperationException: Broker unreachable: ***@rabbit:5672/", warning.Message, StringComparison.Ordinal);
        Assert.Null(warning.Exception);
        LogAssert.NoBrokerCredentials(warning);
    }

    /// <summary>A bus whose publishes fail.</summary>
    public class FailingBus : DispatchProxy
    {
        private Exception? _failure;

        public static IBus Create(Exception failure)
        {
            var bus = Create<IBus, FailingBus>();
            ((FailingBus)(object)bus)._failure = failure;
            return bus;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            nameof(IPublishEndpoint.Publish) => Task.FromException(_failure!),
            _ => throw new NotSupportedException($"{targetMethod?.Name} is not part of this fake"),
        };
    }
}
