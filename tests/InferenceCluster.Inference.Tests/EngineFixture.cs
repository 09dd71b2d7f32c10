using InferenceCluster.Inference.Hosting;

namespace InferenceCluster.Inference.Tests;

/// <summary>One dynamic (paged) and one static (standard) engine over the bundled test model, shared by the suite.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public const int Capacity = 8;

    public IInferenceEngine Dynamic { get; private set; } = null!;

    public IInferenceEngine Static { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dynamic = await InferenceEngineFactory.LoadAsync(Options(TestModel.PagedPath));
        Static = await InferenceEngineFactory.LoadAsync(Options(TestModel.StandardPath));
    }

    public async Task DisposeAsync()
    {
        await Dynamic.DisposeAsync();
        await Static.DisposeAsync();
    }

    public IInferenceEngine For(string layout) => layout == "dynamic" ? Dynamic : Static;

    public static InferenceOptions Options(string path, int capacity = Capacity) => new()
    {
        ModelPath = path,
        MaxConcurrency = capacity,
        NoProgressTimeout = TimeSpan.FromSeconds(30),
    };
}
