using System.Collections.Concurrent;
using MassTransit;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>
/// Records every message the moment it is sent or published. The harness's own lists wait for the bus to
/// fall quiet before answering, which a streaming request or a heartbeat loop never lets it do.
/// </summary>
internal sealed class MessageRecorder : ISendObserver, IPublishObserver
{
    private readonly ConcurrentQueue<object> _messages = new();

    public IReadOnlyList<T> Of<T>(Func<T, bool>? filter = null) => Of(Snapshot(), filter);

    /// <summary>
    /// Every message recorded so far, read at one moment. Several lists taken from one snapshot agree with one
    /// another; taken one after the other, the messages sent in between appear in the later lists only.
    /// </summary>
    public IReadOnlyList<object> Snapshot() => _messages.ToArray();

    public static IReadOnlyList<T> Of<T>(IReadOnlyList<object> snapshot, Func<T, bool>? filter = null) =>
        [.. snapshot.OfType<T>().Where(filter ?? (_ => true))];

    public Task PreSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Record(context.Message);

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Record(context.Message);

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    private Task Record(object message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }
}
