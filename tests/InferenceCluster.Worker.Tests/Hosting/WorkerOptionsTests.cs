using InferenceCluster.Inference;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.Hosting;

public sealed class WorkerOptionsTests
{
    [Theory]
    [InlineData("Worker:HeartbeatInterval", "00:00:00", "HeartbeatInterval")]
    [InlineData("Worker:HeartbeatInterval", "01:00:00", "HeartbeatInterval")]
    [InlineData("Worker:Id", "has spaces/and slashes", "Worker:Id")]
    [InlineData("Worker:ReceiveCheckInterval", "00:00:00.100", "ReceiveCheckInterval")]
    [InlineData("Worker:ReceiveCheckInterval", "01:00:00", "ReceiveCheckInterval")]
    [InlineData("Worker:ReceiveProbeTimeout", "00:00:00.500", "ReceiveProbeTimeout")]
    public void AddInferenceWorker_InvalidSetting_FailsNamingIt(string key, string value, string named)
    {
        using var provider = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WorkerOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInferenceWorker_NoSettings_DefaultsToMachineAndProcessIdAndFiveSeconds()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;

        Assert.EndsWith($"-{Environment.ProcessId}", options.Id, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ReceiveCheckInterval);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging().AddSingleton<IInferenceEngine>(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])));
        builder.AddInferenceWorker(worker => (worker.AddEngine, worker.AddBus) = (false, false));
        return builder.Services.BuildServiceProvider();
    }
}
