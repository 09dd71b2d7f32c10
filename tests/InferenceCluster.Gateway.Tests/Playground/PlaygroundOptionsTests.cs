using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.Playground;

/// <summary><c>Gateway:Playground</c>: operators can turn the page off, and a bad trace link template stops the start.</summary>
public sealed class PlaygroundOptionsTests
{
    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Gateway:EmbeddedWorker"] = "false" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/js/main.js")]
    [InlineData("/playground/config.json")]
    public async Task Get_Disabled_NotFound(string path)
    {
        await using var gateway = await HermeticGateway.StartAsync(builder =>
            builder.Configuration.AddInMemoryCollection(Settings(("Gateway:Playground:Enabled", "false"))));

        using var response = await gateway.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetSettings_TraceTemplate_Returned()
    {
        const string template = "http://127.0.0.1:18888/traces/detail/{traceId}";
        await using var gateway = await HermeticGateway.StartAsync(builder =>
            builder.Configuration.AddInMemoryCollection(Settings(("Gateway:Playground:TraceUrlTemplate", template))));

        var settings = JsonDocument.Parse(await gateway.Client.GetStringAsync("/playground/config.json")).RootElement;

        Assert.Equal(template, settings.GetProperty("trace_url_template").GetString());
        Assert.False(settings.GetProperty("api_key_required").GetBoolean());
    }

    [Theory]
    [InlineData("http://dashboard/traces")]
    [InlineData("traces/{traceId}")]
    [InlineData("ftp://dashboard/{traceId}")]
    public void Create_BadTraceTemplate_FailsNamingTheKey(string template)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            using var app = HermeticGateway.Create(builder =>
                builder.Configuration.AddInMemoryCollection(Settings(("Gateway:Playground:TraceUrlTemplate", template))));
        });

        Assert.Contains("Gateway:Playground:TraceUrlTemplate", error.Message, StringComparison.Ordinal);
    }
}
