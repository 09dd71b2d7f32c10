namespace InferenceCluster.Worker.Hosting;

/// <summary>What <c>AddInferenceWorker</c> adds besides the worker's own services.</summary>
public sealed class InferenceWorkerSetup
{
    /// <summary>Register the GenAI engine (section <c>Inference</c>); off when the host registers its own <c>IInferenceEngine</c>.</summary>
    public bool AddEngine { get; set; } = true;

    /// <summary>
    /// Host the worker's own RabbitMQ bus (<c>ConnectionStrings:rabbitmq</c>) with its consumers; off when the host's
    /// bus takes them through <c>AddInferenceWorkerConsumers()</c>, as the gateway's embedded worker does.
    /// </summary>
    public bool AddBus { get; set; } = true;
}
