namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The fault drills run one after another: each starts and kills processes of its own, and on two cores
/// two drills at once would measure each other rather than the fault. Drills that only play tricks on a RabbitMQ of
/// their own share one (<see cref="SharedPrivateServers"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DrillCollection : ICollectionFixture<SharedPrivateServers>
{
    public const string Name = "drills";
}
