using InferenceCluster.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Sweep.Tests.EndToEnd;

/// <summary>
/// The gateway in its default configuration — embedded worker, real engine, bundled test model — on a
/// free loopback port. The test runner exports <c>ConnectionStrings__*</c> for the integration tests;
/// they are blanked here so the run stays on the in-memory bus and cache and never meets another
/// test's workers on a shared broker.
/// </summary>
internal static class EmbeddedGateway
{
    public static WebApplication Create() =>
        GatewayApp.Create(["--urls=http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = "",
                ["ConnectionStrings:redis"] = "",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
}
