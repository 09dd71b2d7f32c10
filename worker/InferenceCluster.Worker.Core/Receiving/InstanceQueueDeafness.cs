namespace InferenceCluster.Worker.Receiving;

/// <summary>An instance queue <see cref="InstanceQueueProbe"/> found deaf, and the evidence.</summary>
internal sealed record InstanceQueueDeafness(string Queue, string Evidence);
