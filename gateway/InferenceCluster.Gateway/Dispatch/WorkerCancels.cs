using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Publishes <see cref="CancelCompletion"/> for requests nobody waits for any more, in the background. A publish may take
/// seconds on a slow broker, and no answer waits for it: at the end of a drain the web server waits only
/// <see cref="DrainEnd.WriteTime"/> for the errors to be written before it resets the connections, and the choices of a
/// request would otherwise be cancelled one after another. The gateway's stop waits for the cancels still being sent
/// (within the host's stop timeout) before the bus stops; registered after the bus, this service stops before it.
/// </summary>
internal sealed partial class WorkerCancels(IBus bus, ILogger<WorkerCancels> logger) : IHostedService
{
    /// <summary>Longest wait for one cancel; the deadline in the command stops the worker anyway.</summary>
    internal static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Task, byte> _sending = new();

    /// <summary>Starts telling the workers to stop the request; returns at once.</summary>
    public void Send(Guid requestId, DateTimeOffset deadline)
    {
        var publish = PublishAsync(requestId, deadline);
        if (!publish.IsCompleted)
        {
            _sending.TryAdd(publish, 0);
            _ = publish.ContinueWith(done => _sending.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for the cancels being sent, until the host's stop timeout; those left are given up (their deadline stops them).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var sending = _sending.Keys.ToArray();
        try
        {
            await Task.WhenAll(sending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogLeftUnsent(sending.Count(task => !task.IsCompleted));
        }
    }

    private async Task PublishAsync(Guid requestId, DateTimeOffset deadline)
    {
        // Off the caller's path: even the part of a publish that runs before its first wait (a blocked connection) is not the answer's.
        await Task.Yield();
        try
        {
            using var timeout = new CancellationTokenSource(PublishTimeout);
            await bus.Publish(new CancelCompletion { RequestId = requestId, Deadline = deadline }, timeout.Token).ConfigureAwait(false);
            LogCancelled(requestId);
        }
        catch (Exception ex)
        {
            // Nobody awaits this task; a lost cancel only wastes a worker's time until the request's deadline.
            LogCancelFailed(requestId, BrokerAddress.RedactError(ex));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} cancelled: its caller left, its deadline passed or the gateway stopped")]
    private partial void LogCancelled(Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the cancellation of request {RequestId} ({Error})")]
    private partial void LogCancelFailed(Guid requestId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The gateway stops with {Count} cancellations not yet taken by the broker; their requests stop at their deadline or when the workers find this gateway gone")]
    private partial void LogLeftUnsent(int count);
}
