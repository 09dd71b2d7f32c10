using System.Diagnostics;
using System.Runtime.InteropServices;

namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// Waits until the end of a simulated step. .NET timers count whole milliseconds (a 2.6 ms wait becomes 2) on a
/// coarse clock (on Linux the kernel tick, 4 ms on a 250 Hz kernel), so a 2.6 ms step waited out with
/// <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/> ended from about 2 to over 5 ms after it began,
/// depending on where in the tick it began: the device ran early or late, and differently in two processes serving
/// the same requests (measured: 2.6 ms for a first streamed token in the gateway's embedded worker, 4.6 ms in a
/// worker process), which skewed every comparison of paths around it. With the system clock on Linux, one thread per device sleeps until the step's absolute deadline
/// with <c>clock_nanosleep</c> on the clock <see cref="Stopwatch"/> reads (a sleep, so the device still costs no
/// CPU while it waits); with any other clock (the tests' fake one) or where that call is missing, the clock's own
/// timers are used.
/// </summary>
internal sealed partial class SimulatedStepTimer : IDisposable
{
    private const int ClockMonotonic = 1;
    private const int AbsoluteTime = 1;
    private const int Interrupted = 4;
    private const long NanosecondsPerSecond = 1_000_000_000;

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim? _start;
    private long _deadline;
    private TaskCompletionSource? _ended;
    private int _disposed;

    public SimulatedStepTimer(TimeProvider time)
    {
        _time = time;
        if (ReferenceEquals(time, TimeProvider.System) && OperatingSystem.IsLinux()
            && Stopwatch.Frequency == NanosecondsPerSecond && SleepsUntilDeadlines())
        {
            _start = new SemaphoreSlim(0);
            new Thread(SleepUntilDeadlines) { IsBackground = true, Name = "simulated-device-clock" }.Start();
        }
    }

    /// <summary>Completes once the clock reaches <paramref name="deadline"/> (a timestamp of the clock given).</summary>
    public Task WaitUntilAsync(long deadline, CancellationToken cancellationToken)
    {
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        if (wait <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        if (_start is null)
        {
            return Task.Delay(wait, _time, cancellationToken);
        }

        // One wait at a time: the device's loop waits out each step before it plans the next.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _deadline = deadline;
        _ended = ended;
        _start.Release();
        return ended.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _start?.Release();
        }
    }

    private void SleepUntilDeadlines()
    {
        while (true)
        {
            _start!.Wait();
            if (Volatile.Read(ref _disposed) == 1)
            {
                _start.Dispose();
                return;
            }

            SleepUntil(_deadline);
            _ended!.TrySetResult();
        }
    }

    private static void SleepUntil(long deadline)
    {
        var until = new TimeSpec { Seconds = deadline / NanosecondsPerSecond, Nanoseconds = deadline % NanosecondsPerSecond };
        while (ClockNanosleep(ClockMonotonic, AbsoluteTime, ref until, IntPtr.Zero) == Interrupted)
        {
            // A signal cut the sleep short; the deadline is absolute, so sleeping again loses nothing.
        }
    }

    /// <summary>Whether the C library has the call (a deadline already past returns at once).</summary>
    private static bool SleepsUntilDeadlines()
    {
        try
        {
            SleepUntil(0);
            return true;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref TimeSpec request, IntPtr remaining);
}
