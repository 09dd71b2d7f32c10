namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// A probe that could not be sent, in its run (<see cref="ProbeSendFailures"/>): how many failed in a row, for how long,
/// and whether this one is to be logged as a warning.
/// </summary>
public readonly record struct ProbeSendFailure(int Failures, TimeSpan Lasting, bool Warn);
