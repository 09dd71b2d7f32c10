namespace InferenceCluster.Scaling.Scenarios;

/// <summary>One measured point of the worker-count curve.</summary>
internal sealed record ScalingPoint(int Workers, int Streams, LoadResult Load, CpuUse Cpu);
