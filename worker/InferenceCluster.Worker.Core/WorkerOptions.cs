using System.ComponentModel.DataAnnotations;
using InferenceCluster.Settings;

namespace InferenceCluster.Worker;

/// <summary>Settings of one worker process (configuration section <c>Worker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Worker";

    /// <summary>
    /// Unique per worker process; appears in heartbeats, results and the name of the worker's cancel endpoint.
    /// Defaults to <c>{machine}-{pid}</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "Worker:Id may contain only letters, digits, '.', '_' and '-' (at most 100), because it names a queue.")]
    public string? Id { get; set; }

    /// <summary>How often the worker announces itself; gateways consider it gone after three missed beats.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00", ErrorMessage = "Worker:HeartbeatInterval must lie between 50 ms and 5 minutes.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A request is stopped when the gateway waiting for it has sent no heartbeat for this long (it died, so
    /// nobody reads the answer). Gateways beat every second by default (<c>Gateway:HeartbeatInterval</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00", ErrorMessage = "Worker:GatewayLiveness must lie between 200 ms and 10 minutes.")]
    public TimeSpan GatewayLiveness { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// On SIGTERM the worker takes no new request and gives those it runs this long to finish; those still
    /// running then are stopped and left unacknowledged, so the broker hands them to another worker (which
    /// resumes a stream where its client is). Keep it a few seconds below the orchestrator's termination grace
    /// (Kubernetes <c>terminationGracePeriodSeconds</c>, 30 s in deploy/k8s), which ends the process by force.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Worker:DrainGrace must lie between 0 and 1 hour.")]
    public TimeSpan DrainGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How often the worker checks that it still receives from its model's queue. A worker with a free slot that has
    /// taken no request for this long while the broker reports requests ready in that queue, on two checks in a row,
    /// has lost its consumer without being told (as can happen after a broker restart); it then exits with
    /// <c>75</c> so that its supervisor starts it again. Found within two to three intervals. Also how often it probes
    /// its own temporary queues (<see cref="ReceiveProbeTimeout"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00", ErrorMessage = "Worker:ReceiveCheckInterval must lie between 200 ms and 10 minutes.")]
    public TimeSpan ReceiveCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a probe the worker sends to one of its own temporary queues (cancels, gateway heartbeats) has to arrive,
    /// every <see cref="ReceiveCheckInterval"/>. One the broker took that does not arrive in time, while the queue's
    /// endpoint is ready and took nothing else, means the worker lost that consumer without being told; it then exits
    /// with <c>75</c> as above.
    /// </summary>
    // At least a second, as the gateway's: a worker that misses one probe exits, and a loaded machine must not pass for a
    // deaf one.
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Worker:ReceiveProbeTimeout must lie between 1 second and 5 minutes.")]
    public TimeSpan ReceiveProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The AMQP heartbeat this worker's connection asks RabbitMQ for (the broker takes the lower of its own and this). A
    /// worker that stops answering but keeps its connection (frozen, swapped out, a hung host) holds its unacknowledged
    /// requests until the broker has missed about two heartbeats and closes the connection, which hands them to another
    /// worker; the client library's 60 s made its clients wait about 2.5 minutes. The heartbeats are sent by the client
    /// library's own timer, not by the work the worker does, so a busy worker keeps beating. At least 5 s (RabbitMQ's
    /// advice: shorter ones close connections of loaded hosts), in whole seconds (AMQP counts them so).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Worker:BrokerHeartbeat must lie between 5 seconds and 10 minutes.")]
    [WholeSeconds(ErrorMessage = "Worker:BrokerHeartbeat must be a whole number of seconds: AMQP counts heartbeats in seconds.")]
    public TimeSpan BrokerHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the engine may complete no step, turn or token while it has requests in flight before the worker counts
    /// it hung (a call into the runtime that never returns, a deadlocked engine thread): it then logs that, reports itself
    /// not live and exits at once with <c>75</c>, and the broker hands its requests to another worker. A slow engine
    /// completes steps, so only one step longer than this trips it: keep it far above the longest step the worker can
    /// take, the prefill of the longest prompts it admits, a whole batch of them, on a loaded machine. Whole seconds, from
    /// 10 s to 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Worker:EngineStallTimeout must lie between 10 seconds and 1 hour.")]
    [WholeSeconds(ErrorMessage = "Worker:EngineStallTimeout must be a whole number of seconds.")]
    public TimeSpan EngineStallTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The id used when none is configured: machine name and process id, unique on a host and readable.</summary>
    internal static string DefaultId()
    {
        var machine = new string([.. Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
        var id = $"{machine}-{Environment.ProcessId}";
        return id.Length <= 100 ? id : id[^100..];
    }
}
