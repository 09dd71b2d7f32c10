namespace InferenceCluster.Sweep.Suites;

/// <summary>A suite file could not be read; the message names the file and line.</summary>
public sealed class SuiteFormatException(string path, int line, string message)
    : Exception(line > 0 ? $"{path} line {line}: {message}" : $"{path}: {message}")
{
    /// <summary>The suite file.</summary>
    public string Path { get; } = path;

    /// <summary>1-based line number, 0 when the fault is the whole file.</summary>
    public int Line { get; } = line;
}
