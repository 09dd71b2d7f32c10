namespace InferenceCluster.Worker.Tests.Integration;

/// <summary>
/// The RabbitMQ the integration tests talk to: <c>ConnectionStrings__rabbitmq</c>, which scripts/test.sh
/// sets after starting a private broker. Without it these tests fail (never skip), naming the variable.
/// </summary>
public sealed class RabbitMqFixture
{
    public RabbitMqFixture()
    {
        var value = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq");
        Available = !string.IsNullOrWhiteSpace(value);
        ConnectionString = value ?? string.Empty;
    }

    public bool Available { get; }

    public string ConnectionString { get; }

    /// <summary>The broker address, or a failure explaining how to get one.</summary>
    public Uri RequireBroker()
    {
        if (!Available)
        {
            var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            Assert.Fail(
                "This test needs RabbitMQ: set ConnectionStrings__rabbitmq (e.g. amqp://guest:guest@127.0.0.1:5672/) " +
                "or run scripts/test.sh, which starts a private broker." + (ci ? " CI=true: a missing server is a failure." : string.Empty));
        }

        return new Uri(ConnectionString);
    }
}

/// <summary>Tests that share the broker fixture.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqFixture>
{
    public const string Name = "rabbitmq";
}
