namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The fault drills run one after another: each starts and kills processes of its own, and on two cores
/// two drills at once would measure each other rather than the fault.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DrillCollection
{
    public const string Name = "drills";
}
