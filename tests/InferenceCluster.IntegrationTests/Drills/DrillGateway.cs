namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>A gateway process of a drill and a client of its address.</summary>
internal sealed class DrillGateway(ServiceProcess process, Uri address, string model, TimeSpan clientTimeout)
{
    public ServiceProcess Process { get; } = process;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxResponseDrainSize = 0 })
    {
        BaseAddress = address,
        Timeout = clientTimeout,
    };

    /// <summary>Sends one chat request (streamed or not) and reads its answer to the end.</summary>
    public Task<DrillAnswer> AskAsync(DrillRequest request, Action<DrillAnswer>? onText = null, CancellationToken cancellationToken = default) =>
        DrillAnswer.ReadAsync(Http, model, request, onText, cancellationToken);
}
