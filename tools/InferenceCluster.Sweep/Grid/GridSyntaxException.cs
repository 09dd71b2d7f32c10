namespace InferenceCluster.Sweep.Grid;

/// <summary>A grid option could not be read; <see cref="Option"/> names it.</summary>
public sealed class GridSyntaxException(string option, string message) : Exception($"{option}: {message}")
{
    /// <summary>The command-line option at fault, e.g. <c>--temperature</c>.</summary>
    public string Option { get; } = option;
}
