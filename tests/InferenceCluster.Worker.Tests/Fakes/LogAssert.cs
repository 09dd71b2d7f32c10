using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>Checks a log line for the user and passwords of <see cref="BusError"/> (linked into the gateway's tests too).</summary>
internal static class LogAssert
{
    /// <summary>A bus error's message as MassTransit and the RabbitMQ client word them: the broker named with its user.</summary>
    public const string BusError = "Broker unreachable: alice@rabbit:5672/ (amqp://alice:hunter2@rabbit:5672/, password=secret)";

    /// <summary>Neither the line nor an exception logged with it (message and stack) names the user or a password.</summary>
    public static void NoBrokerCredentials(FakeLogRecord record)
    {
        var text = record.Message + record.Exception;
        foreach (var secret in new[] { "alice", "hunter2", "secret" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
