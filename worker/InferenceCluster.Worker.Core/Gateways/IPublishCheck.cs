namespace InferenceCluster.Worker.Gateways;

/// <summary>Whether the broker takes this worker's publishes right now.</summary>
internal interface IPublishCheck
{
    /// <summary>Publishes something harmless, bounded; true when the broker confirmed it.</summary>
    Task<bool> CanPublishAsync(CancellationToken cancellationToken);
}
