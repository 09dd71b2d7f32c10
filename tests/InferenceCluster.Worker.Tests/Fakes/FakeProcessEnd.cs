using InferenceCluster.Worker.EngineWatch;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>Records the exit codes asked for instead of ending the test process.</summary>
internal sealed class FakeProcessEnd : IProcessEnd
{
    public List<int> ExitCodes { get; } = [];

    public void Now(int exitCode) => ExitCodes.Add(exitCode);
}
