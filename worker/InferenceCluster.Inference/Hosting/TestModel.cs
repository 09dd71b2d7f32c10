namespace InferenceCluster.Inference.Hosting;

/// <summary>The tiny test model bundled into the build output of every project referencing this one.</summary>
public static class TestModel
{
    /// <summary>Id the test model is served under.</summary>
    public const string Id = "deepseek-r1-test-tiny";

    /// <summary>Paged (dynamic batching) layout: the default when no model path is configured.</summary>
    public static string PagedPath => Path.Combine(AppContext.BaseDirectory, "models", "test-model", "paged");

    /// <summary>Standard (GroupQueryAttention, static batching) layout.</summary>
    public static string StandardPath => Path.Combine(AppContext.BaseDirectory, "models", "test-model", "standard");

    internal static bool IsTestModel(string path) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "models", "test-model")), StringComparison.Ordinal);
}
