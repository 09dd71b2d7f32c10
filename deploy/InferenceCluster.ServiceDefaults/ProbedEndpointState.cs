namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// What MassTransit reports of an endpoint being probed: whether it is ready, a number that changes whenever it goes
/// ready or not, and the messages it has taken.
/// </summary>
public readonly record struct ProbedEndpointState(bool IsReady, long ReadyEpoch, long Deliveries);
