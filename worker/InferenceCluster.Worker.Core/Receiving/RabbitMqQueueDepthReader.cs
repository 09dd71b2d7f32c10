using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Worker.Receiving;

/// <summary>The broker's own count of the requests ready in a queue (<see cref="QueueDepthReader"/>); a queue not declared yet holds none.</summary>
internal sealed class RabbitMqQueueDepthReader(Uri broker, TimeSpan timeout, TimeSpan heartbeat) : IQueueDepthReader, IAsyncDisposable
{
    private readonly QueueDepthReader _reader = new(broker, timeout, heartbeat, "inference-cluster-worker-receive-check");

    public async Task<long> ReadyMessagesAsync(string queue, CancellationToken cancellationToken) =>
        await _reader.ReadyMessagesAsync(queue, cancellationToken).ConfigureAwait(false) ?? 0;

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
