using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// Builds the gateway exactly as production does, on a free loopback port, but never on servers the
/// environment names: the test runner exports <c>ConnectionStrings__*</c> for the integration tests, and
/// these tests are about the gateway alone (in-memory bus, in-process cache) unless a test sets them.
/// </summary>
internal static class HermeticGateway
{
    public static WebApplication Create(Action<WebApplicationBuilder>? configure = null) =>
        GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = "",
                ["ConnectionStrings:redis"] = "",
            });
            configure?.Invoke(builder);
        });
}
