using System.Collections.Concurrent;
using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Inference.Tests.Engine;

/// <summary>The engine loop's steps as a test scripts them: the held steps in order, then the real engine's.</summary>
internal sealed class StepScript
{
    private readonly ConcurrentQueue<HeldStep> _held = new();

    /// <summary>The next step not scripted yet is held; it then throws <paramref name="failure"/>, or runs the engine.</summary>
    public HeldStep Hold(Exception? failure = null)
    {
        var step = new HeldStep(failure);
        _held.Enqueue(step);
        return step;
    }

    public int Run(NativeEngine engine, List<EngineEvent> into) =>
        _held.TryDequeue(out var step) ? step.Run(engine, into) : engine.Run(into);
}
