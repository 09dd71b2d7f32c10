using System.Reflection;
using MassTransit;

namespace InferenceCluster.Gateway.Tests.Broker;

/// <summary>
/// A connected endpoint's handle (and its endpoint) without a bus: every call does nothing, except that its stop
/// never ends on its own, as with an endpoint whose consumer the broker dropped.
/// </summary>
public class FakeEndpointHandle : DispatchProxy
{
    /// <summary>The token the endpoint was told to stop with, once it was.</summary>
    public CancellationToken? StopToken { get; private set; }

    public static (HostReceiveEndpointHandle Handle, FakeEndpointHandle Fake) Create()
    {
        var handle = Create<HostReceiveEndpointHandle, FakeEndpointHandle>();
        return (handle, (FakeEndpointHandle)(object)handle);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        switch (targetMethod.Name)
        {
            case "get_" + nameof(HostReceiveEndpointHandle.ReceiveEndpoint):
                return Create(targetMethod.ReturnType, typeof(FakeEndpointHandle));
            case nameof(HostReceiveEndpointHandle.StopAsync):
                StopToken = (CancellationToken)args![0]!;
                return Task.Delay(Timeout.Infinite, StopToken.Value);
            default:
                return targetMethod.ReturnType.IsValueType ? Activator.CreateInstance(targetMethod.ReturnType) : null;
        }
    }
}
