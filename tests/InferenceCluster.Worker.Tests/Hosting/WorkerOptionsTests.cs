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
    [InlineData("Worker:BrokerHeartbeat", "00:00:04", "Worker:BrokerHeartbeat must lie between 5 seconds")]
    [InlineData("Worker:BrokerHeartbeat", "00:00:07.500", "Worker:BrokerHeartbeat must be a whole number of seconds")]
    [InlineData("Worker:BrokerHeartbeat", "00:20:00", "Worker:BrokerHeartbeat must lie between 5 seconds")]
    [InlineData("Worker:EngineStallTimeout", "00:00:09", "Worker:EngineStallTimeout must lie between 10 seconds and 1 hour")]
    [InlineData("Worker:EngineStallTimeout", "01:00:01", "Worker:EngineStallTimeout must lie between 10 seconds and 1 hour")]
    [InlineData("Worker:EngineStallTimeout", "00:02:00.500", "Worker:EngineStallTimeout must be a whole number of seconds")]
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
        Assert.Equal(TimeSpan.FromSeconds(10), options.BrokerHeartbeat);
        Assert.Equal(TimeSpan.FromSeconds(120), options.EngineStallTimeout);
    }

    [Theory]
    [InlineData("Worker:HeartbeatIntervall", "00:00:05")]
    [InlineData("Worker:DrainGrce", "00:00:05")]
    [InlineData("Inference:MaxConcurency", "4")]
    [InlineData("Inference:Simulation:Slowdwn", "2")]
    public void AddInferenceWorker_KeyNoSettingHas_FailsAtStartNamingIt(string key, string value)
    {
        // The binder skipped it, and the worker ran on the default the operator meant to change.
        using var provider = Build(new() { [key] = value }, addEngine: true);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}) is no setting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInferenceWorker_DocumentedSettings_PassTheKeyCheck()
    {
        using var provider = Build(
            new()
            {
                ["Worker:Id"] = "w-1",
                ["WORKER:DRAINGRACE"] = "00:00:05",
                ["Worker:GatewayLiveness"] = "00:00:03",
                ["Worker:BrokerHeartbeat"] = "00:00:30",
                ["Worker:EngineStallTimeout"] = "00:05:00",
                ["Inference:MaxConcurrency"] = "4",
                ["Inference:ExecutionProvider"] = "simulated",
                ["Inference:Simulation:Slowdown"] = "2",
                ["Inference:Simulation:KvBlocks"] = "1000",
                ["Inference:ClassicModelPath"] = "",
            },
            addEngine: true);

        var error = Record.Exception(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Null(error);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, bool addEngine = false)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        if (addEngine)
        {
            // Binds the Inference section as the worker does; the engine itself is never made here.
            builder.Services.AddInferenceEngine(builder.Configuration);
        }

        builder.Services.AddLogging().AddSingleton<IInferenceEngine>(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])));
        builder.AddInferenceWorker(worker => (worker.AddEngine, worker.AddBus) = (false, false));
        return builder.Services.BuildServiceProvider();
    }
}
