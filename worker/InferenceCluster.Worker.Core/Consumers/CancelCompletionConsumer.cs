using InferenceCluster.Contracts;
using InferenceCluster.Worker.Execution;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Worker.Consumers;

/// <summary>Stops a request this worker runs when its caller has gone away. Every worker hears every cancel.</summary>
internal sealed partial class CancelCompletionConsumer : IConsumer<CancelCompletion>
{
    private readonly RunningRequests _running;
    private readonly ILogger<CancelCompletionConsumer> _logger;

    public CancelCompletionConsumer(RunningRequests running, ILogger<CancelCompletionConsumer> logger)
    {
        _running = running;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<CancelCompletion> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_running.TryCancel(context.Message.RequestId, context.Message.Deadline))
        {
            LogCancelled(context.Message.RequestId);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} cancelled by its caller")]
    private partial void LogCancelled(Guid requestId);
}
