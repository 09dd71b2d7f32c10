using InferenceCluster.Sweep.Grid;

namespace InferenceCluster.Sweep.Client;

/// <summary>One request of the sweep: a prompt with its own complete settings and seed.</summary>
internal sealed record ChatRequest(string Model, string Prompt, GridPoint Point, long Seed);
