using InferenceCluster.Contracts;

namespace InferenceCluster.Worker.Receiving;

/// <summary>Sends a <see cref="ReceiveProbe"/> to one queue.</summary>
internal interface IProbeSender
{
    /// <summary>Completes when the broker has taken the probe; throws when it could not be sent.</summary>
    Task SendAsync(Uri queue, ReceiveProbe probe, CancellationToken cancellationToken);
}
