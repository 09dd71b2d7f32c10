using InferenceCluster.Worker.Receiving;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>A broker whose answer the test sets: a number of ready messages, or a failure.</summary>
internal sealed class FakeQueueDepthReader : IQueueDepthReader
{
    /// <summary>What the next reads answer.</summary>
    public long Ready { get; set; }

    /// <summary>When set, reads fail with it, as when the broker cannot be reached.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Runs during a read, as something happening while the broker is asked.</summary>
    public Action? DuringRead { get; set; }

    public List<string> Queues { get; } = [];

    public Task<long> ReadyMessagesAsync(string queue, CancellationToken cancellationToken)
    {
        Queues.Add(queue);
        DuringRead?.Invoke();
        return Failure is { } failure ? Task.FromException<long>(failure) : Task.FromResult(Ready);
    }
}
