using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

/// <summary>
/// A log level the logging configuration cannot read stops the service with 78 and a line naming its key: the framework
/// threw while building the logger factory, and both services crashed with 134 and a stack trace.
/// </summary>
public sealed class LogLevelSettingsTests
{
    [Theory]
    [InlineData("Logging:LogLevel:Default", "Verbose")]
    [InlineData("Logging:LogLevel:Microsoft.Hosting", "loud")]
    [InlineData("Logging:Console:LogLevel:Default", "Informational")]
    [InlineData("Logging:LogLevel:Foo:Bar", "loud")]
    [InlineData("Logging:Console:LogLevel:Foo:Bar", "loud")]
    public void Run_NoLogLevel_Returns78NamingTheKey(string key, string value)
    {
        using var error = new StringWriter();

        var code = InvalidConfigurationExit.Run(() => Service(key, value).Build(), error);

        Assert.Equal(InvalidConfigurationExit.ExitCode, code);
        Assert.Contains(key, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(key.Replace(":", "__", StringComparison.Ordinal), error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Logging:LogLevel:Default", "warning")]
    [InlineData("Logging:LogLevel:Microsoft", "None")]
    [InlineData("Logging:Console:LogLevel:Default", "Trace")]
    [InlineData("Logging:LogLevel:Default", "")]
    [InlineData("Logging:LogLevel:Foo:Bar", "Warning")]
    public void Build_LogLevelTheFrameworkReads_Builds(string key, string value)
    {
        using var host = Service(key, value).Build();

        Assert.NotNull(host);
    }

    private static HostApplicationBuilder Service(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.AddServiceDefaults();
        return builder;
    }
}
