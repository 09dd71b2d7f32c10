namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>
/// Every cluster test shares one gateway and two workers. xunit runs the tests of one collection one after
/// another, so the engines' records and the cache seen by one test are not disturbed by another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
