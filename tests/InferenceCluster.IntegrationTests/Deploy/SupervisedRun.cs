namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>How a supervisor run ended: its exit code, how often it ran the command, its last state line and all it printed.</summary>
internal sealed record SupervisedRun(int ExitCode, int Runs, string State, string Output)
{
    public override string ToString() => $"supervisor exited {ExitCode} after {Runs} runs; state '{State}'; output:\n{Output}";
}
