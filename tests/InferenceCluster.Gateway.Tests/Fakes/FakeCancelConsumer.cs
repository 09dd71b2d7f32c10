using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>Records the cancellations the gateway publishes.</summary>
public sealed class FakeCancelConsumer(FakeWorkerState state) : IConsumer<CancelCompletion>
{
    public Task Consume(ConsumeContext<CancelCompletion> context)
    {
        state.Cancelled[context.Message.RequestId] = true;
        return Task.CompletedTask;
    }
}
