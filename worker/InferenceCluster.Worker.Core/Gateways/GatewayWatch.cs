namespace InferenceCluster.Worker.Gateways;

/// <summary>One running request watched for the loss of its gateway; disposing it ends the watch.</summary>
internal sealed class GatewayWatch(string replyAddress, long started, Action onDispose) : IDisposable
{
    private volatile bool _lost;

    public string ReplyAddress { get; } = replyAddress;

    /// <summary>When the request started, on the clock of the worker's <see cref="TimeProvider"/>.</summary>
    public long Started { get; } = started;

    /// <summary>True once the request was stopped because its gateway went silent: nothing may be sent to it.</summary>
    public bool Lost
    {
        get => _lost;
        set => _lost = value;
    }

    public void Dispose() => onDispose();
}
