namespace InferenceCluster.Playground.Tests;

/// <summary>One gateway, worker and browser for all playground tests, which run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PlaygroundCollection : ICollectionFixture<PlaygroundFixture>
{
    public const string Name = "playground";
}
