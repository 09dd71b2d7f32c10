namespace InferenceCluster.Inference;

/// <summary>
/// One path of an engine (the batching engine loop, the classic Generators, the simulated accelerator): how far it has
/// come and how many requests run on it now. A path with requests in flight whose <paramref name="Count"/> stands still
/// hangs, whatever the other paths do.
/// </summary>
/// <param name="Path">Names the path in logs; the same path keeps its name and its place in the list on every read.</param>
/// <param name="Count">Calls into the runtime that came back on this path; only its changes mean anything.</param>
/// <param name="InFlight">Requests running on this path now.</param>
public readonly record struct PathProgress(string Path, long Count, int InFlight);
