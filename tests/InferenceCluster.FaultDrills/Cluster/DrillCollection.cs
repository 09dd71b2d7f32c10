namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>The drills share one cluster and run one after another: each breaks it and mends it again.</summary>
[CollectionDefinition(Name)]
public sealed class DrillCollection : ICollectionFixture<DrillCluster>
{
    public const string Name = "Drill cluster";
}
