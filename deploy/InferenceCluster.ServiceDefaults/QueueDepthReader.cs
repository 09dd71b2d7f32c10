using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Reads how many messages are ready in a queue with a passive declare (which changes nothing), over a connection of
/// its own: a slow read never holds up the bus, and the answer comes from the broker, not from a bus whose receiving
/// may be in doubt. A failed read closes the connection, and so does the next read when the broker closed it meanwhile
/// (a restart), whether or not the client has noticed yet; the read is then made on a new one. Errors name the broker without its credentials and never carry the password.
/// </summary>
/// <param name="broker">The broker's URI (<see cref="BrokerAddress.Read"/>).</param>
/// <param name="timeout">The longest a read, connecting included, may take.</param>
/// <param name="heartbeat">
/// The AMQP heartbeat to ask for: the service's own (<c>Gateway:BrokerHeartbeat</c>, <c>Worker:BrokerHeartbeat</c>), as its
/// bus connection asks, not the client library's 60 s.
/// </param>
/// <param name="clientName">The connection's name as the broker lists it.</param>
public sealed class QueueDepthReader(Uri broker, TimeSpan timeout, TimeSpan heartbeat, string clientName) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    /// <summary>The messages ready in <paramref name="queue"/>; null when there is no such queue.</summary>
    /// <exception cref="QueueDepthReadException">The broker could not be asked; it says which and why.</exception>
    public async Task<long?> ReadyMessagesAsync(string queue, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { IsOpen: false })
            {
                await CloseAsync().ConfigureAwait(false);
            }

            if (_connection is { } kept)
            {
                try
                {
                    return await ReadOnAsync(kept, queue, bounded.Token).ConfigureAwait(false);
                }
                catch (Exception) when (!bounded.IsCancellationRequested)
                {
                    // The broker may have closed it before the client noticed (a restart just now): a failure on a kept
                    // connection is no answer yet, a read on a new one is.
                    await CloseAsync().ConfigureAwait(false);
                }
            }

            _connection = await Factory().CreateConnectionAsync(bounded.Token).ConfigureAwait(false);
            return await ReadOnAsync(_connection, queue, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync().ConfigureAwait(false);
            var reason = exception is OperationCanceledException
                ? $"no answer within {timeout.TotalSeconds:0.#} s"
                : Reason(broker, exception);
            throw new QueueDepthReadException(BrokerAddress.Redact(broker), queue, reason);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The heartbeat the broker agreed for the reader's connection; null while it has none.</summary>
    internal TimeSpan? Heartbeat => _connection?.Heartbeat;

    /// <summary>Closes the reader's connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>The messages ready in <paramref name="queue"/>, read on <paramref name="connection"/>; null when there is no such queue.</summary>
    private static async Task<long?> ReadOnAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false);
            return declared.MessageCount;
        }
        catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            // Nothing was ever sent there and no consumer declared it. The broker closed the channel only.
            return null;
        }
    }

    private ConnectionFactory Factory()
    {
        // MassTransit also accepts rabbitmq:// and rabbitmqs://; the client reads the same address as amqp.
        var uri = new UriBuilder(broker) { Scheme = broker.Scheme is "amqps" or "rabbitmqs" ? "amqps" : "amqp" };
        return new ConnectionFactory
        {
            Uri = uri.Uri,
            ClientProvidedName = clientName,
            RequestedHeartbeat = heartbeat,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = timeout,
            ContinuationTimeout = timeout,
            HandshakeContinuationTimeout = timeout,
        };
    }

    /// <summary>Why a read failed: the client's error by its type and message, without the broker's user or password.</summary>
    internal static string Reason(Uri broker, Exception exception)
    {
        // The outer error alone: the client's inner ones name the broker again, which the line has as a field of its own.
        var text = BrokerAddress.RedactError(exception, errors: 1);
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
