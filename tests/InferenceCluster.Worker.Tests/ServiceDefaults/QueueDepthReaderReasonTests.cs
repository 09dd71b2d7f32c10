using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

/// <summary>Why a queue depth could not be read, as both services log it: the client's error without the broker's user or password.</summary>
public sealed class QueueDepthReaderReasonTests
{
    [Fact]
    public void Reason_ErrorNamingTheBrokerWithItsUserAndPassword_KeptWithoutThem()
    {
        var broker = new Uri("amqp://alice:hunter2@rabbit:5672/");

        var reason = QueueDepthReader.Reason(broker, new InvalidOperationException(LogAssert.BusError + " hunter2"));

        Assert.Equal("InvalidOperationException: Broker unreachable: ***@rabbit:5672/ (amqp://***@rabbit:5672/, password=***) ***", reason);
    }
}
