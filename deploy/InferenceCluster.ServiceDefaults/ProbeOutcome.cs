namespace InferenceCluster.ServiceDefaults;

/// <summary>What one probe of a process's own queue showed (<see cref="ReceiveProbes.ProbeAsync"/>).</summary>
public enum ProbeOutcome
{
    /// <summary>It came back in time: the queue is read.</summary>
    Arrived,

    /// <summary>It could not be sent (the broker may be away): nothing learnt about receiving.</summary>
    NotSent,

    /// <summary>Not back in time, but the endpoint went not ready meanwhile: MassTransit saw a fault and restarts it.</summary>
    NotReady,

    /// <summary>Not back in time, but the endpoint went down and came back while it was out, which may have taken it.</summary>
    CameBack,

    /// <summary>Not back in time, but the endpoint took other messages meanwhile: it receives, behind a backlog.</summary>
    Slow,

    /// <summary>The broker took it, it did not arrive, and the endpoint stayed ready and took nothing: deaf.</summary>
    Lost,
}
