using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Simulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace InferenceCluster.Inference.Tests.Simulation;

/// <summary>Builds a simulated engine over the test model's tokenizer with a given step-time model and clock.</summary>
internal static class SimulatedEngine
{
    /// <summary>Fast enough on the real clock that behaviour tests finish at once.</summary>
    public static SimulationOptions Quick(double endProbability = 0) => new()
    {
        DecodeBaseMilliseconds = 0.05,
        DecodePerSequenceMilliseconds = 0,
        PrefillPerTokenMilliseconds = 0,
        EndOfSequenceProbability = endProbability,
    };

    public static IInferenceEngine Load(SimulationOptions simulation, TimeProvider? time = null, int capacity = 8) =>
        SimulatedEngineFactory.Load(
            new InferenceOptions { ExecutionProvider = SimulatedEngineFactory.Provider, MaxConcurrency = capacity, Simulation = simulation },
            NullLogger.Instance,
            time ?? TimeProvider.System);
}
