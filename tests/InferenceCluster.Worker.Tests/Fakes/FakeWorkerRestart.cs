using InferenceCluster.Worker.Receiving;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>Counts restart requests instead of stopping the test process.</summary>
internal sealed class FakeWorkerRestart : IWorkerRestart
{
    public int Requests { get; private set; }

    public void Request() => Requests++;
}
