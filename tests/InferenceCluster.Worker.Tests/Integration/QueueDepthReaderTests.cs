using System.Net;
using System.Net.Sockets;
using InferenceCluster.ServiceDefaults;
using RabbitMQ.Client;

namespace InferenceCluster.Worker.Tests.Integration;

[Collection(RabbitMqCollection.Name)]
public sealed class QueueDepthReaderTests(RabbitMqFixture rabbit)
{
    // The bound of one read, connecting included; generous, since no test here waits for it to pass, and a loaded machine
    // took more than 5 s to connect through the forwarder (the read then failed with "no answer within 5 s").
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(7)]
    [InlineData(10)]
    public async Task ReadyMessages_Connection_HasTheServicesHeartbeat(int seconds)
    {
        // The reader's connection asked for the client library's 60 s (and the broker, whose own default is 60 s, agreed),
        // while the service's bus connection asks for Gateway:BrokerHeartbeat / Worker:BrokerHeartbeat, 10 s by default.
        await using var reader = new QueueDepthReader(rabbit.RequireBroker(), Timeout, TimeSpan.FromSeconds(seconds), "queue-depth-test");

        Assert.Null(await reader.ReadyMessagesAsync($"depth-test-missing-{Guid.NewGuid():N}", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(seconds), reader.Heartbeat);
    }

    [Fact]
    public async Task ReadyMessages_QueueWithMessages_CountsThemWithoutTakingAny()
    {
        var broker = rabbit.RequireBroker();
        var queue = $"depth-test-{Guid.NewGuid():N}";
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                await channel.BasicPublishAsync(string.Empty, queue, new byte[] { 1 });
            }

            await using var reader = new QueueDepthReader(broker, Timeout, Heartbeat, "queue-depth-test");
            var until = DateTime.UtcNow.AddSeconds(10);
            long? ready;
            while ((ready = await reader.ReadyMessagesAsync(queue, CancellationToken.None)) is null or < 3 && DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }

            Assert.Equal(3, ready);
            Assert.Equal(3, await reader.ReadyMessagesAsync(queue, CancellationToken.None));
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    [Fact]
    public async Task ReadyMessages_NoSuchQueue_Null()
    {
        await using var reader = new QueueDepthReader(rabbit.RequireBroker(), Timeout, Heartbeat, "queue-depth-test");

        Assert.Null(await reader.ReadyMessagesAsync($"depth-test-missing-{Guid.NewGuid():N}", CancellationToken.None));

        // The broker closes the channel on a missing queue, not the connection: the reader goes on working.
        Assert.Null(await reader.ReadyMessagesAsync($"depth-test-missing-{Guid.NewGuid():N}", CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadyMessages_BrokerClosedTheConnectionSinceTheLastRead_ReadsOnANewOne(bool clientSeesTheCut)
    {
        // A broker restart between two looks: the next look must not fail on the dead connection (a false warning,
        // and a lost interval in the very case the check is for). Cut at once, the client may not have noticed yet, as
        // when a look comes right after a restart; with only the broker's side cut, it learns of it from the read itself.
        var broker = rabbit.RequireBroker();
        await using var forwarder = new TcpForwarder(broker.Host, broker.Port);
        var viaForwarder = new UriBuilder(broker) { Port = forwarder.Port }.Uri;
        await using var reader = new QueueDepthReader(viaForwarder, Timeout, Heartbeat, "queue-depth-test");
        var queue = $"depth-test-missing-{Guid.NewGuid():N}";
        Assert.Null(await reader.ReadyMessagesAsync(queue, CancellationToken.None));

        if (clientSeesTheCut)
        {
            forwarder.CutAll();
        }
        else
        {
            forwarder.CutServerSides();
        }

        Assert.Null(await reader.ReadyMessagesAsync(queue, CancellationToken.None));
    }

    [Fact]
    public async Task ReadyMessages_BrokerUnreachable_FailsWithoutThePassword()
    {
        const string Password = "Pa55-w0rd-never-printed";
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var reader = new QueueDepthReader(new Uri($"amqp://guest:{Password}@127.0.0.1:{port}/"), Timeout, Heartbeat, "queue-depth-test");

        var error = await Assert.ThrowsAsync<QueueDepthReadException>(() => reader.ReadyMessagesAsync("generate-x", CancellationToken.None));

        Assert.Contains("generate-x", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }
}
