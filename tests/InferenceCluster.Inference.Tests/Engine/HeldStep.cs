using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Inference.Tests.Engine;

/// <summary>
/// One step of the engine loop that waits on the owner thread until the test lets it go, then throws
/// <see cref="Failure"/> or runs the real engine. The test knows exactly what the loop has done before
/// the step and that it does nothing more until the step is let go.
/// </summary>
internal sealed class HeldStep(Exception? failure = null) : IDisposable
{
    private readonly SemaphoreSlim _entered = new(0);
    private readonly SemaphoreSlim _letGo = new(0);
    private int _disposed;

    public Exception? Failure { get; } = failure;

    /// <summary>Completes when the owner thread has reached the step.</summary>
    public async Task EnteredAsync(TimeSpan timeout)
    {
        if (!await _entered.WaitAsync(timeout))
        {
            throw new TimeoutException("The engine loop never reached the step.");
        }
    }

    public void LetGo() => _letGo.Release();

    public int Run(NativeEngine engine, List<EngineEvent> into)
    {
        _entered.Release();
        _letGo.Wait();
        return Failure is null ? engine.Run(into) : throw Failure;
    }

    /// <summary>Lets the step go if the test did not, so a failed test does not leave the owner thread waiting.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _letGo.Release();
        }
    }
}
