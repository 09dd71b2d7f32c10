using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Worker.Tests.Integration;

/// <summary>
/// Plays the gateway's side: a bus on the same broker with a temporary reply queue, which sends
/// commands to a model's queue and collects what comes back.
/// </summary>
internal sealed class ReplyListener : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly ConcurrentQueue<object> _received = new();

    private ReplyListener(IBusControl bus, Uri replyAddress)
    {
        _bus = bus;
        ReplyAddress = replyAddress;
    }

    public Uri ReplyAddress { get; }

    public IBus Bus => _bus;

    public static async Task<ReplyListener> StartAsync(Uri broker)
    {
        var queue = $"it-replies-{Guid.NewGuid():N}";
        ReplyListener? listener = null;
        Uri? inputAddress = null;
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker);
            rabbit.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;

                // The full address carries the queue's properties, so a sender declares it the same way.
                inputAddress = endpoint.InputAddress;
                endpoint.Handler<CompletionDelta>(context => listener!.Record(context.Message));
                endpoint.Handler<CompletionFinished>(context => listener!.Record(context.Message));
                endpoint.Handler<CompletionFailed>(context => listener!.Record(context.Message));
            });
        });
        listener = new ReplyListener(bus, inputAddress!);
        await bus.StartAsync();
        return listener;
    }

    public async Task SendAsync(GenerateCompletion command)
    {
        var endpoint = await _bus.GetSendEndpoint(ModelQueue(command.Model));
        await endpoint.Send(command);
    }

    public IReadOnlyList<T> Of<T>(Func<T, bool> filter) => [.. _received.OfType<T>().Where(filter)];

    public async Task<T> WaitForAsync<T>(Func<T, bool> filter, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Of(filter) is [var first, ..])
            {
                return first;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no {typeof(T).Name} within {timeout}");
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    private static Uri ModelQueue(string modelId) =>
        new($"queue:generate-{new string([.. modelId.ToLowerInvariant().Select(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' ? c : '-')])}");

    private Task Record(object message)
    {
        _received.Enqueue(message);
        return Task.CompletedTask;
    }
}
