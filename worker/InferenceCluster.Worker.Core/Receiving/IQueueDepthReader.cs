namespace InferenceCluster.Worker.Receiving;

/// <summary>Reads from the broker how many messages wait in a queue, ready for a consumer.</summary>
internal interface IQueueDepthReader
{
    /// <summary>The ready messages of <paramref name="queue"/> (0 when it does not exist); throws when the broker cannot be asked.</summary>
    Task<long> ReadyMessagesAsync(string queue, CancellationToken cancellationToken);
}
