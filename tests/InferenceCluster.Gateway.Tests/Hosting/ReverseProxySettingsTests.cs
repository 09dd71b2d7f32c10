using InferenceCluster.ServiceDefaults;
using InferenceCluster.Gateway.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// The YARP routes and clusters (<c>ReverseProxy</c>) are read at start like every other setting: a destination address
/// YARP cannot forward to stops the gateway with 78 and a line naming the key. YARP takes any text for an address and the
/// gateway ran, failing each forwarded request; a configuration YARP itself refuses (an empty address) crashed it with
/// 134 and a stack trace.
/// </summary>
public sealed class ReverseProxySettingsTests
{
    private const string Secret = "never-printed";

    [Theory]
    [InlineData("Address", "not a url")]
    [InlineData("Address", $"http://{Secret}:notaport/")]
    [InlineData("Address", $"{Secret}.example:8080")]
    [InlineData("Address", $"ftp://{Secret}.example/")]
    [InlineData("Address", $"https://{Secret}.example/v1?key=1")]
    [InlineData("Address", $"/relative/{Secret}")]
    [InlineData("Health", $"http://{Secret}.example:notaport/")]
    public void Create_DestinationAddressYarpCannotForwardTo_RefusedNamingTheKeyButNotTheValue(string key, string address)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Gateway(new()
        {
            [$"ReverseProxy:Clusters:upstream:Destinations:primary:{key}"] = address,
            ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = key == "Address" ? address : "http://127.0.0.1:9/",
        }));

        Assert.Contains($"ReverseProxy__Clusters__upstream__Destinations__primary__{key}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"ReverseProxy:Clusters:upstream:Destinations:primary:{key}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ConfigurationYarpRefuses_RefusedAsAnInvalidSetting()
    {
        // YARP's own check (no address) threw from MapReverseProxy, outside the settings InvalidConfigurationExit knows.
        var error = Assert.Throws<InvalidSettingException>(() => Gateway(new()
        {
            ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = "",
        }));

        Assert.Contains("ReverseProxy", error.Message, StringComparison.Ordinal);
        Assert.Contains("'primary'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReverseProxy:Routes:upstream-chat:Order", "abc")]
    [InlineData("ReverseProxy:Clusters:upstream:HttpRequest:ActivityTimeout", "abc")]
    public void Create_ValueYarpCannotConvert_RefusedAsAnInvalidSettingWithoutTheValue(string key, string value)
    {
        var error = Assert.Throws<InvalidSettingException>(() => Gateway(new()
        {
            ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = "http://127.0.0.1:9/",
            [key] = value,
        }));

        Assert.Contains("ReverseProxy", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/")]
    [InlineData("https://upstream.example")]
    [InlineData("http://[::1]:9/base/")]
    public async Task Create_DestinationAddressYarpForwardsTo_Starts(string address)
    {
        await using var app = Gateway(new()
        {
            ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = address,
            ["ReverseProxy:Clusters:upstream:Destinations:primary:Health"] = address,
        });

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public void MapInferenceGateway_WiringFaultWhileTheProxyPipelineIsBuilt_StaysAnErrorOfItsOwn()
    {
        // What YARP refuses is a setting; a service the pipeline cannot be built without is the gateway's own fault, and
        // a setting's exit (78, which supervisors do not restart) would blame the operator's ReverseProxy section for it.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = "",
            ["ConnectionStrings:redis"] = "",
            ["Gateway:EmbeddedWorker"] = "false",
        });
        builder.AddInferenceGateway();
        builder.Services.AddSingleton<ModelCatalog>(_ => throw new InvalidOperationException("no catalog in this wiring"));
        var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapInferenceGateway());

        Assert.IsNotType<InvalidSettingException>(error);
        Assert.Equal("no catalog in this wiring", error.Message);
    }

    private static WebApplication Gateway(Dictionary<string, string?> settings) =>
        HermeticGateway.Create(builder =>
        {
            settings["Gateway:EmbeddedWorker"] = "false";
            settings["ReverseProxy:Routes:upstream-chat:ClusterId"] = "upstream";
            settings["ReverseProxy:Routes:upstream-chat:Match:Path"] = "/upstream/{**rest}";
            builder.Configuration.AddInMemoryCollection(settings);
        });
}
