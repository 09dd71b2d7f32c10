namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// A queue depth could not be read (<see cref="QueueDepthReader"/>). The broker (without its credentials) and the reason
/// are kept apart, so that a log line can carry each as a field of its own: an operator filters the failures of one
/// broker by it.
/// </summary>
public sealed class QueueDepthReadException : InvalidOperationException
{
    /// <summary>A read failed.</summary>
    public QueueDepthReadException()
    {
    }

    /// <summary>A read failed, as <paramref name="message"/> says.</summary>
    public QueueDepthReadException(string message)
        : base(message)
    {
    }

    /// <summary>A read failed, as <paramref name="message"/> says, because of <paramref name="innerException"/>.</summary>
    public QueueDepthReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The read of <paramref name="queue"/> from <paramref name="broker"/> (redacted) failed for <paramref name="reason"/>.</summary>
    public QueueDepthReadException(string broker, string queue, string reason)
        : base($"The broker {broker} could not be asked about {queue}: {reason}")
    {
        Broker = broker;
        Queue = queue;
        Reason = reason;
    }

    /// <summary>The broker asked, without its credentials.</summary>
    public string Broker { get; } = string.Empty;

    /// <summary>The queue whose depth was asked for.</summary>
    public string Queue { get; } = string.Empty;

    /// <summary>Why the broker could not be asked, without credentials.</summary>
    public string Reason { get; } = string.Empty;
}
