namespace InferenceCluster.Sweep.Cli;

/// <summary>The command line is wrong; the message names the option.</summary>
internal sealed class UsageException(string message) : Exception(message);
