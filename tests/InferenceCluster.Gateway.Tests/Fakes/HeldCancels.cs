using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// A broker slow to take cancellations: every <see cref="CancelCompletion"/> the gateway publishes waits here until the
/// test releases them all, however long its sender meant to wait.
/// </summary>
internal sealed class HeldCancels : IPublishObserver
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>How many cancellation publishes have begun (held until <see cref="Release"/>).</summary>
    public int Held => Volatile.Read(ref _held);

    public void Release() => _released.TrySetResult();

    public async Task PrePublish<T>(PublishContext<T> context)
        where T : class
    {
        if (context.Message is CancelCompletion)
        {
            Interlocked.Increment(ref _held);
            await _released.Task;
        }
    }

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
