using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Hosting;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Worker.Tests.Hosting;

/// <summary>The worker's exit code for a setting it cannot start with: 78, which its supervisor does not restart.</summary>
public sealed class InvalidConfigurationExitTests
{
    [Fact]
    public void Run_InvalidWorkerSetting_Returns78AndNamesTheSetting()
    {
        using var error = new StringWriter();

        var code = InvalidConfigurationExit.Run(() => Worker(new() { ["Worker:HeartbeatInterval"] = "00:00:00" }).Build(), error);

        Assert.Equal(InvalidConfigurationExit.ExitCode, code);
        Assert.Contains("Worker:HeartbeatInterval", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Worker:HeartbeatInterval", "abc")]
    [InlineData("Inference:MaxConcurrency", "lots")]

    // A setting of the service defaults' metrics listener: it was bound without naming the key, and the worker crashed.
    [InlineData("Worker:MetricsPort", "abc")]
    public void Run_ValueOfTheWrongType_Returns78AndNamesTheKeyButNotTheValue(string key, string value)
    {
        using var error = new StringWriter();

        var code = InvalidConfigurationExit.Run(() => Worker(new() { [key] = value }, addEngine: true).Build(), error);

        Assert.Equal(InvalidConfigurationExit.ExitCode, code);
        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InvalidSettingFoundAtStart_LogsNoStackTrace()
    {
        // The host logged "Hosting failed to start" with the exception and its stack trace, a hundred lines before the
        // one that names the setting.
        using var error = new StringWriter();
        using var logs = new FakeLoggerProvider();

        var code = InvalidConfigurationExit.Run(() =>
        {
            var builder = Worker(new() { ["Inference:MaxConcurrency"] = "0" }, addEngine: true);
            builder.Logging.AddProvider(logs);
            return builder.Build();
        }, error);

        Assert.Equal(InvalidConfigurationExit.ExitCode, code);
        Assert.Contains("Inference:MaxConcurrency", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), record => record.Exception is not null);
    }

    [Theory]
    [InlineData(false, 78, "Invalid configuration: the model folder is broken. ")]
    [InlineData(true, 75, "Cannot start: the device is busy. The process exits with 75 (EX_TEMPFAIL)")]
    public void Run_StartupCheckFails_ReturnsItsCodeWithOneLineAndLogsNoStackTrace(bool restartable, int exitCode, string line)
    {
        // A worker's model is loaded by such a check: GenAI's refusal crashed it with 134, after the host had logged its
        // failure to start with a stack trace.
        using var error = new StringWriter();
        using var logs = new FakeLoggerProvider();

        var code = InvalidConfigurationExit.Run(() =>
        {
            var builder = Worker([]);
            builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton<IStartupCheck>(new FailingCheck(restartable
                ? new RestartableStartException("the device is busy.")
                : new InvalidSettingException("the model folder is broken.")));
            return builder.Build();
        }, error);

        Assert.Equal(exitCode, code);
        Assert.StartsWith(line, Assert.Single(error.ToString().TrimEnd().Split('\n')), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), record => record.Exception is not null);
    }

    [Fact]
    public void Run_NoBroker_Returns78AndNamesTheSetting()
    {
        using var error = new StringWriter();

        var code = InvalidConfigurationExit.Run(() => Worker(new() { ["ConnectionStrings:rabbitmq"] = null }).Build(), error);

        Assert.Equal(InvalidConfigurationExit.ExitCode, code);
        Assert.Contains("ConnectionStrings__rabbitmq", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OtherFailure_IsNotTakenForAConfigurationError()
    {
        // A crash is for the supervisor to restart with a back-off, not to give up on.
        using var error = new StringWriter();

        Assert.Throws<InvalidOperationException>(() => InvalidConfigurationExit.Run(() => throw new InvalidOperationException("boom"), error));
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void Run_BackgroundServiceFailsAfterStart_ExitsNeither0Nor78()
    {
        // The host stops on the failure as on a SIGTERM; 0 would tell the supervisor the worker was stopped as asked.
        using var error = new StringWriter();

        var code = InvalidConfigurationExit.Run(() =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddHostedService(_ => new DelegateBackgroundService(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("the service failed");
            }));
            return builder.Build();
        }, error);

        Assert.Equal(ServiceExit.ServiceFailedExitCode, code);
        Assert.Empty(error.ToString());
    }

    private sealed class FailingCheck(Exception failure) : IStartupCheck
    {
        public void Check() => throw failure;
    }

    private static HostApplicationBuilder Worker(Dictionary<string, string?> settings, bool addEngine = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Never reached: the settings are checked before the bus starts.
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
            ["Worker:Id"] = "configuration-exit-test",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddMetricsListener(WorkerOptions.SectionName);
        builder.AddInferenceWorker(worker => worker.AddEngine = addEngine);
        return builder;
    }
}
