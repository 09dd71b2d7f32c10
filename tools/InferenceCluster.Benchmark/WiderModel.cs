using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace InferenceCluster.Benchmark;

/// <summary>
/// A wider sibling of the bundled test model (same generator, same architecture and weights'
/// seed, larger hidden size), written to a temporary folder for one benchmark run. The committed
/// model is tiny, so its steps cost mostly fixed per-step overhead; at a width whose weights no
/// longer fit in the CPU cache each step is bound by reading the weights, as a real model's is.
/// </summary>
internal sealed class WiderModel : IDisposable
{
    private const string Generator = "tools/test-model/make_test_model.py";
    private const string Python = "/usr/bin/python3";

    private WiderModel(string folder) => Folder = folder;

    public string Folder { get; }

    public string PagedPath => Path.Combine(Folder, "paged");

    public string StandardPath => Path.Combine(Folder, "standard");

    public static WiderModel Generate(int hiddenSize)
    {
        var script = FindGenerator();
        var folder = Path.Combine(Path.GetTempPath(), "inferencecluster-bench-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generating a test model of hidden size {hiddenSize} into {folder} ..."));
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true };
        foreach (var arg in new[] { script, "--out", folder, "--hidden-size", hiddenSize.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var model = new WiderModel(folder);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var hint = errors.Contains("ModuleNotFoundError", StringComparison.Ordinal)
                    ? " (it needs Debian's python3-onnx and python3-numpy; scripts/test.sh installs them)"
                    : string.Empty;
                throw new InvalidOperationException(
                    $"{Generator} --hidden-size {hiddenSize} failed (exit {process.ExitCode}){hint}: {errors.Trim()}");
            }

            return model;
        }
        catch (Win32Exception ex)
        {
            model.Dispose();
            throw new InvalidOperationException($"--hidden-size needs {Python} to run {Generator}: {ex.Message}", ex);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private static string FindGenerator()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Generator);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"--hidden-size needs the repository's {Generator}; run the benchmark from inside the repository");
    }
}
