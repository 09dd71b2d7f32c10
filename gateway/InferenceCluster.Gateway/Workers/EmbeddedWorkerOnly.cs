namespace InferenceCluster.Gateway.Workers;

/// <summary>
/// Registered when the gateway runs without a broker and hosts its own worker: that worker is the only one there can
/// be, so once it has been heard the gateway knows every model it serves (see <see cref="WorkerRegistry.Discovering"/>).
/// </summary>
internal sealed class EmbeddedWorkerOnly;
