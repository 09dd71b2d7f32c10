namespace InferenceCluster.Inference.Tests;

/// <summary>Engine tests share the loaded engines and run one class at a time (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engines";
}
