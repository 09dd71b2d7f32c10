using Microsoft.Extensions.Logging;

namespace InferenceCluster.Inference.Engine;

/// <summary>Log messages of the engine owner thread.</summary>
internal sealed partial class EngineLoop
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Engine loop crashed")]
    private partial void LogLoopCrashed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Engine run failed: {Error}")]
    private partial void LogRunFailed(string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cancel of {RequestId} raced its completion")]
    private partial void LogCancelRaced(string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine refused request {RequestId}: {Error}")]
    private partial void LogAdmissionRejected(string requestId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Engine reported a failure not tied to a request ({Code})")]
    private partial void LogUnroutedFailure(string code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId} waits for engine capacity ({Code})")]
    private partial void LogCapacityBlocked(string requestId, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} made no progress for {Timeout}; failing it")]
    private partial void LogNoProgress(string requestId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing request {RequestId} failed: {Error}")]
    private partial void LogCloseFailed(string requestId, string error);
}
