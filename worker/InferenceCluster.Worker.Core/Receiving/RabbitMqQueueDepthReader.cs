using InferenceCluster.ServiceDefaults;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Reads a queue's ready messages with a passive declare (which changes nothing) over a connection of its own, so that
/// the question is answered by the broker, not by the bus whose receiving is in doubt. A failed read closes the
/// connection, and so does the next read when the broker closed it meanwhile; a new one is then opened. Errors never
/// carry the broker's password.
/// </summary>
internal sealed class RabbitMqQueueDepthReader(Uri broker, TimeSpan timeout) : IQueueDepthReader, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public async Task<long> ReadyMessagesAsync(string queue, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { IsOpen: false })
            {
                // Closed by the broker since the last read (a restart): not worth a failed read and a lost interval.
                await CloseAsync().ConfigureAwait(false);
            }

            _connection ??= await Factory().CreateConnectionAsync(bounded.Token).ConfigureAwait(false);
            await using var channel = await _connection.CreateChannelAsync(cancellationToken: bounded.Token).ConfigureAwait(false);
            var declared = await channel.QueueDeclarePassiveAsync(queue, bounded.Token).ConfigureAwait(false);
            return declared.MessageCount;
        }
        catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            // No request was ever sent and no consumer declared it: nothing waits. The broker closed the channel only.
            return 0;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync().ConfigureAwait(false);
            var reason = exception is OperationCanceledException
                ? $"no answer within {timeout.TotalSeconds:0.#} s"
                : Scrub(exception.GetType().Name + ": " + exception.Message);
            throw new InvalidOperationException($"The broker {BrokerAddress.Redact(broker)} could not be asked about {queue}: {reason}");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private ConnectionFactory Factory()
    {
        // MassTransit also accepts rabbitmq:// and rabbitmqs://; the client reads the same address as amqp.
        var uri = new UriBuilder(broker) { Scheme = broker.Scheme is "amqps" or "rabbitmqs" ? "amqps" : "amqp" };
        return new ConnectionFactory
        {
            Uri = uri.Uri,
            ClientProvidedName = "inference-cluster-worker-receive-check",
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = timeout,
            ContinuationTimeout = timeout,
            HandshakeContinuationTimeout = timeout,
        };
    }

    private string Scrub(string text)
    {
        foreach (var secret in broker.UserInfo.Split(':', 2).Skip(1).SelectMany(password => new[] { password, Uri.UnescapeDataString(password) }))
        {
            if (secret.Length > 0)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Closing a broken connection may fail in any way; there is nothing left to release.
            }
        }
    }
}
