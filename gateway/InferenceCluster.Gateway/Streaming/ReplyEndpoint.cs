namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// The address of this instance's temporary reply endpoint. It is known only once the bus has built the
/// endpoint (a temporary queue's name and parameters come from the transport), so it is filled in then.
/// </summary>
internal sealed class ReplyEndpoint
{
    private volatile Uri? _address;

    public Uri? Address
    {
        get => _address;
        set => _address = value;
    }
}
