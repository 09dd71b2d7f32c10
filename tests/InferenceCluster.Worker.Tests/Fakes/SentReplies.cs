using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>
/// Records every reply the moment it is sent. The harness's own lists wait for the bus to fall quiet
/// before answering, which a request that keeps streaming never does.
/// </summary>
internal sealed class SentReplies : ISendObserver
{
    private readonly ConcurrentQueue<object> _sent = new();

    public IReadOnlyList<T> Of<T>(Func<T, bool> filter) => [.. _sent.OfType<T>().Where(filter)];

    public Task PreSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context)
        where T : class
    {
        if (context.Message is CompletionDelta or CompletionFinished or CompletionFailed)
        {
            _sent.Enqueue(context.Message);
        }

        return Task.CompletedTask;
    }

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
