using InferenceCluster.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway;

/// <summary>Builds the gateway application; tests call it with their own arguments and overrides.</summary>
public static class GatewayApp
{
    /// <summary>The address served when neither <c>ASPNETCORE_URLS</c>, <c>--urls</c> nor Kestrel endpoints are configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Creates the gateway; <paramref name="configure"/> runs first, so it can add configuration or bus registrations.</summary>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        ListenAddresses.Check(builder.Configuration["urls"]);

        builder.AddServiceDefaults();
        builder.AddInferenceGateway().AddCompletionCache();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapInferenceGateway();
        return app;
    }
}
