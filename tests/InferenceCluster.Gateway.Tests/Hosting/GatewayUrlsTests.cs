using Microsoft.Extensions.Configuration;
using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// The gateway's listening addresses (ASPNETCORE_URLS, --urls): one Kestrel cannot read stops the start with 78 and a
/// line naming the setting; it crashed with 134 and a stack trace ("Invalid url"), or, for a port that is no number,
/// listened on port 80 of every interface.
/// </summary>
public sealed class GatewayUrlsTests
{
    [Theory]
    [InlineData("garbage")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:0;garbage")]
    [InlineData("http://127.0.0.1:notaport")]
    [InlineData("http://127.0.0.1:0; http://127.0.0.2:0")]
    [InlineData("http://localhost:0")]
    public void Create_UrlsKestrelCannotRead_RefusedNamingTheSetting(string urls)
    {
        // Refused while the gateway is made, so InvalidConfigurationExit exits 78; a value taken for valid would run.
        var error = Assert.Throws<InvalidSettingException>(() => Gateway(urls));

        Assert.Contains("ASPNETCORE_URLS", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:0;http://127.0.0.2:0")]
    [InlineData("http://*:0")]
    [InlineData("http://+:0")]
    public async Task Create_UrlsKestrelReads_Starts(string urls)
    {
        await using var app = Gateway(urls);

        await app.StartAsync();
        await app.StopAsync();
    }

    [Fact]
    public async Task Create_UnixSocket_Starts()
    {
        // Kestrel listens on http://unix:/path; the ':' in that host was taken for a port that is no number, refused.
        var dir = Directory.CreateTempSubdirectory("inferencecluster-socket.");
        try
        {
            await using var app = Gateway($"http://unix:{Path.Combine(dir.FullName, "gateway.sock")}");

            await app.StartAsync();
            Assert.True(File.Exists(Path.Combine(dir.FullName, "gateway.sock")));
            await app.StopAsync();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Gateway(string urls) =>
        HermeticGateway.Create(builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = urls,
            ["Gateway:EmbeddedWorker"] = "false",
        }));
}
