using System.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceCluster.Gateway.Transport;

/// <summary>Registers <see cref="KestrelRejections"/> and puts its connection middleware on every Kestrel endpoint.</summary>
internal static class KestrelRejectionsExtensions
{
    public static IServiceCollection AddKestrelRejectionAnswers(this IServiceCollection services)
    {
        // Kestrel raises its events on the host's DiagnosticListener ("Microsoft.AspNetCore").
        services.AddSingleton(provider => new KestrelRejections(provider.GetService<DiagnosticListener>()));

        // Endpoint defaults apply to every endpoint, from --urls, ASPNETCORE_URLS or Kestrel:Endpoints alike.
        services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Use(next => new RejectionAnswerConnection(next, endpoint.ApplicationServices.GetRequiredService<KestrelRejections>()).OnConnectionAsync)));
        return services;
    }
}
