namespace InferenceCluster.Sweep.Running;

/// <summary>How far a sweep is: answers graded out of those needed, and how many were already in answers.csv.</summary>
public sealed record SweepProgress(int Done, int Total, int Resumed);
