using InferenceCluster.Sweep.Running;

namespace InferenceCluster.Sweep.Cli;

/// <summary>
/// A progress bar on stderr redrawn in place on a terminal; when stderr is redirected (CI logs), a
/// plain line every 10% instead, so logs stay readable.
/// </summary>
internal sealed class ConsoleProgress : IProgress<SweepProgress>
{
    private readonly Lock _gate = new();
    private readonly bool _tty = !Console.IsErrorRedirected;
    private readonly DateTime _start = DateTime.UtcNow;
    private DateTime _lastDraw;
    private int _lastDecile = -1;

    public void Report(SweepProgress value)
    {
        lock (_gate)
        {
            var fraction = value.Total == 0 ? 1 : value.Done / (double)value.Total;
            if (_tty)
            {
                var now = DateTime.UtcNow;
                if (value.Done < value.Total && now - _lastDraw < TimeSpan.FromMilliseconds(100))
                {
                    return;
                }

                _lastDraw = now;
                const int width = 30;
                var filled = (int)(fraction * width);
                Console.Error.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {value.Done}/{value.Total} {fraction * 100:0}% {Eta(value)}   ");
                if (value.Done == value.Total)
                {
                    Console.Error.WriteLine();
                }
            }
            else
            {
                var decile = (int)(fraction * 10);
                if (decile != _lastDecile)
                {
                    _lastDecile = decile;
                    Console.Error.WriteLine($"sweep: {value.Done}/{value.Total} answers ({fraction * 100:0}%){(value.Resumed > 0 ? $", {value.Resumed} resumed" : "")} {Eta(value)}");
                }
            }
        }
    }

    private string Eta(SweepProgress v)
    {
        var newDone = v.Done - v.Resumed;
        if (newDone <= 0 || v.Done >= v.Total)
        {
            return "";
        }

        var perItem = (DateTime.UtcNow - _start) / newDone;
        var left = perItem * (v.Total - v.Done);
        return $"eta {left:hh\\:mm\\:ss}";
    }
}
