using System.Net;
using InferenceCluster.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

public sealed class ServiceDefaultsExtensionsTests
{
    [Fact]
    public async Task MapDefaultEndpoints_ReadyCheckFailing_ReadyIs503AndLiveStays200()
    {
        await using var app = await StartAsync(HealthCheckResult.Unhealthy("broker down"));
        using var client = new HttpClient { BaseAddress = Address(app) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task MapDefaultEndpoints_ReadyCheckPassing_BothAre200()
    {
        await using var app = await StartAsync(HealthCheckResult.Healthy());
        using var client = new HttpClient { BaseAddress = Address(app) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static async Task<WebApplication> StartAsync(HealthCheckResult ready)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks().AddCheck("dependency", () => ready, [HealthCheckTags.Ready]);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
}
