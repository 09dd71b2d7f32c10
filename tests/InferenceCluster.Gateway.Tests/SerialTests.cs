namespace InferenceCluster.Gateway.Tests;

/// <summary>A collection whose tests run after the parallel ones, alone, for assertions about elapsed time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "Serial";
}
