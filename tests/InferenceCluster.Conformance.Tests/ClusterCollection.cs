namespace InferenceCluster.Conformance.Tests;

/// <summary>All conformance tests share one embedded gateway: loading the engine once keeps them fast.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<EmbeddedClusterFixture>
{
    public const string Name = "embedded cluster";
}
