using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// GenAI's static batching runs at most 4 requests per engine step: a worker configured for more on
/// a standard-layout model says so when it loads, rather than leaving the rest to queue unexplained.
/// </summary>
public sealed class StaticBatchLimitTests
{
    [Theory]
    [InlineData("static", 8, true)]
    [InlineData("static", 4, false)]
    [InlineData("dynamic", 8, false)]
    public async Task LoadAsync_Capacity_WarnsOnlyWhenStaticBatchingCannotRunItAtOnce(string layout, int capacity, bool warns)
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var path = layout == "dynamic" ? TestModel.PagedPath : TestModel.StandardPath;

        await using (await InferenceEngineFactory.LoadAsync(EngineFixture.Options(path, capacity), loggerFactory))
        {
        }

        var warning = logs.Collector.GetSnapshot()
            .SingleOrDefault(r => r.Message.StartsWith("Static batching runs at most", StringComparison.Ordinal));
        if (!warns)
        {
            Assert.Null(warning);
            return;
        }

        Assert.NotNull(warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"at most {InferenceEngineFactory.StaticBatchLimit} requests per engine step", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"Inference:MaxConcurrency {capacity}", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dynamic", 8, "Dynamic (continuous) batching")]
    [InlineData("static", 4, "Static batching, a standard model: up to 4 requests")]
    public async Task LoadAsync_AnyLayout_SaysWhichBatchingTheFolderGetsAndWhatItMeans(string layout, int capacity, string opening)
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var path = layout == "dynamic" ? TestModel.PagedPath : TestModel.StandardPath;

        await using (await InferenceEngineFactory.LoadAsync(EngineFixture.Options(path, capacity), loggerFactory))
        {
        }

        var line = Assert.Single(logs.Collector.GetSnapshot(), r => r.Message.StartsWith(opening, StringComparison.Ordinal));
        Assert.Contains($"up to {capacity} requests", line.Message, StringComparison.Ordinal);
        if (layout == "dynamic")
        {
            var folder = ModelFolder.Read(path);
            Assert.True(folder.KvBlocks > 0 && folder.KvBlockSize > 0);
            Assert.Contains($"{folder.KvBlocks} blocks of {folder.KvBlockSize} tokens ({folder.KvBlocks * folder.KvBlockSize} tokens",
                line.Message, StringComparison.Ordinal);
        }
    }
}
