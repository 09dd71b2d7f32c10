using InferenceCluster.ServiceDefaults.Listener;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

public sealed class MetricsListenerOptionsTests
{
    [Theory]
    [InlineData("Worker:MetricsPort", "70000")]
    [InlineData("Worker:MetricsPort", "-1")]
    [InlineData("Worker:MetricsAddress", "metrics.example")]
    [InlineData("Worker:MetricsAddress", "")]
    public void AddMetricsListener_InvalidSetting_FailsNamingTheKeyInItsSection(string key, string value)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MetricsListenerOptions>>().Value);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMetricsListener_NoSettings_LoopbackOnTheConventionalPort()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<MetricsListenerOptions>>().Value;

        Assert.Equal(("127.0.0.1", MetricsListenerOptions.DefaultPort), (options.MetricsAddress, options.MetricsPort));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMetricsListener(WorkerOptions.SectionName);
        return builder.Services.BuildServiceProvider();
    }
}
