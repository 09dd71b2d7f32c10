using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using RabbitMQ.Client.Exceptions;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// Plays RabbitMQ returning a mandatory command that nothing is bound to receive (the model's queue deleted): the send
/// fails with the transport's <see cref="MessageReturnedException"/>. By the last user message (or prompt): "queue
/// missing" is returned every time, "queue missing once" only on its first send; "send fails once naming the broker"
/// fails its first send with a bus error that names the broker with its user; everything else goes through.
/// </summary>
public sealed class FakeReturningBroker : ISendObserver
{
    public const string AlwaysReturned = "queue missing";
    public const string ReturnedOnce = "queue missing once";
    public const string FailsOnceNamingTheBroker = "send fails once naming the broker";

    private readonly ConcurrentDictionary<Guid, int> _returns = new();
    private readonly ConcurrentDictionary<Guid, byte> _failed = new();

    /// <summary>How many times the command of <paramref name="requestId"/> was returned.</summary>
    public int Returns(Guid requestId) => _returns.GetValueOrDefault(requestId);

    /// <summary>The request ids of the commands returned at least once.</summary>
    public IReadOnlyCollection<Guid> Returned => [.. _returns.Keys];

    public Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        if (context.Message is not GenerateCompletion command)
        {
            return Task.CompletedTask;
        }

        var prompt = command.Messages?[^1].Content ?? command.Prompt;
        if (prompt == FailsOnceNamingTheBroker && _failed.TryAdd(command.RequestId, 0))
        {
            throw new InvalidOperationException(LogAssert.BusError);
        }

        var returned = prompt switch
        {
            AlwaysReturned => true,
            ReturnedOnce => Returns(command.RequestId) == 0,
            _ => false,
        };
        if (!returned)
        {
            return Task.CompletedTask;
        }

        _returns.AddOrUpdate(command.RequestId, 1, (_, count) => count + 1);
        // As MassTransit's RabbitMQ transport throws it: the client's return (exchange, code, text) inside.
        throw new MessageReturnedException(
            "The message was returned by RabbitMQ",
            new PublishReturnException(1, "returned", ModelQueue.Name(command.Model), string.Empty, 312, "NO_ROUTE"));
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
