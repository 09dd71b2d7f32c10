using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Hosting;

/// <inheritdoc />
internal sealed class InferenceGatewayBuilder(IHostApplicationBuilder host) : IInferenceGatewayBuilder
{
    public IHostApplicationBuilder Host { get; } = host;
}
