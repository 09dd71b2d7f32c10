using InferenceCluster.Worker.Streaming;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.Streaming;

/// <summary>
/// A reply that cannot be sent fails the consume with this error: MassTransit puts its message in the fault the gateway
/// logs, and the worker logs it too, so it names the bus error without the broker's user or password.
/// </summary>
public sealed class ReplyDeliveryExceptionTests
{
    [Fact]
    public void Message_BusErrorNamingTheBrokerWithItsUser_KeptWithoutUserOrPassword()
    {
        var error = new ReplyDeliveryException(new Uri("rabbitmq://rabbit:5672/gateway-replies-1"), new InvalidOperationException(LogAssert.BusError));

        Assert.Equal(
            "Could not send to the reply address rabbitmq://rabbit:5672/gateway-replies-1: Broker unreachable: ***@rabbit:5672/ (amqp://***@rabbit:5672/, password=***)",
            error.Message);
    }
}
