using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>Returned by <c>AddInferenceGateway()</c> so that optional features chain onto it.</summary>
public interface IInferenceGatewayBuilder
{
    /// <summary>The application builder the gateway was added to.</summary>
    IHostApplicationBuilder Host { get; }
}
