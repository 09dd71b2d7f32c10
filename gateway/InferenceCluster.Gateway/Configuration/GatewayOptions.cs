using System.ComponentModel.DataAnnotations;
using InferenceCluster.Settings;

namespace InferenceCluster.Gateway.Configuration;

/// <summary>Settings of the gateway (configuration section <c>Gateway</c>).</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string SectionName = "Gateway";

    /// <summary>How long a request may take from dispatch to its last token; also the command's deadline.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "Gateway:RequestTimeout must lie between 100 ms and 1 day.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// With RabbitMQ: the broker deletes this instance's durable reply queue once it has had no consumer for this
    /// long. Longer than a broker restart plus reconnection, so replies survive one; short, so a dead gateway's
    /// queue does not linger.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "Gateway:ReplyQueueExpiry must lie between 10 seconds and 1 day.")]
    public TimeSpan ReplyQueueExpiry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often the gateway sends a probe to each of its own queues (replies, worker heartbeats) to learn that it
    /// still receives there; also right after MassTransit has reconnected one. A consumer the broker no longer
    /// delivers to looks healthy from inside, so only a probe that does not come back tells.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Gateway:ReceiveProbeInterval must lie between 1 second and 1 hour.")]
    public TimeSpan ReceiveProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a probe may take to come back; one that does not, although the broker took it, means the gateway no
    /// longer receives on that queue: it is reported not ready and the queue's endpoint is replaced. Counted from the
    /// broker's confirm of the send, which is bounded by this too. At least 1 s: a probe behind a few messages, or a
    /// confirm after a reconnect, takes longer than a shorter one would allow, and a healthy endpoint would be replaced.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "Gateway:ReceiveProbeTimeout must lie between 1 second and 5 minutes.")]
    public TimeSpan ReceiveProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With RabbitMQ: the AMQP heartbeat the gateway's connection asks the broker for (the broker takes the lower of its
    /// own and this); a connection silent for about two of them is closed by the broker, and one whose broker is silent
    /// that long by the gateway, which then reconnects. At least 5 s (RabbitMQ's advice: shorter ones close connections
    /// of loaded hosts), in whole seconds (AMQP counts them so).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00", ErrorMessage = "Gateway:BrokerHeartbeat must lie between 5 seconds and 10 minutes.")]
    [WholeSeconds(ErrorMessage = "Gateway:BrokerHeartbeat must be a whole number of seconds: AMQP counts heartbeats in seconds.")]
    public TimeSpan BrokerHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest accepted request body; larger ones get 413.</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Gateway:MaxRequestBodyBytes must lie between 1 KiB and 64 MiB.")]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A worker counts as live when its last heartbeat is younger than this (three heartbeat intervals).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Gateway:WorkerLiveness must lie between 100 ms and 1 hour.")]
    public TimeSpan WorkerLiveness { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// After a broker outage, how long beyond <see cref="WorkerLiveness"/> a worker that was live before it may stay
    /// silent once this gateway hears heartbeats again: the worker's own connection comes back on its own schedule
    /// (MassTransit retries after 3 s, growing to 30 s), so its silence meanwhile is the outage's, not the worker's.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Gateway:WorkerReconnectGrace must lie between 0 and 10 minutes.")]
    public TimeSpan WorkerReconnectGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often this gateway tells the workers it is alive; workers stop the requests of a gateway silent for
    /// a few intervals (their <c>Worker:GatewayLiveness</c>), so keep it well below that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "Gateway:HeartbeatInterval must lie between 50 ms and 1 minute.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// On SIGTERM, how long open requests and streams may go on before the gateway ends them with 503
    /// <c>server_shutting_down</c> (3 s more to write it) and stops. New connections are refused at once. Keep it and
    /// those 3 s below the orchestrator's termination grace (Kubernetes
    /// <c>terminationGracePeriodSeconds</c>, 30 s in deploy/k8s), which ends the process by force.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Gateway:DrainGrace must lie between 0 and 1 hour.")]
    public TimeSpan DrainGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// With RabbitMQ: how often the gateway reads the message count of each known model's queue from the broker
    /// (metric <c>inference_cluster.queue.depth</c>); one read waits at most this long, and 5 s at the most.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Gateway:QueueDepthInterval must lie between 100 ms and 1 hour.")]
    public TimeSpan QueueDepthInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most choices one request may ask for (<c>n</c>, times the prompts of a completions request).</summary>
    [Range(1, 128, ErrorMessage = "Gateway:MaxChoices must lie between 1 and 128.")]
    public int MaxChoices { get; set; } = 8;

    /// <summary>
    /// With the in-memory transport (no <c>ConnectionStrings:rabbitmq</c>), host a worker and the engine in
    /// this process so that the gateway answers on its own. Ignored with RabbitMQ.
    /// </summary>
    public bool EmbeddedWorker { get; set; } = true;

    /// <summary>
    /// For reasoning models, answer with the thinking in <c>reasoning_content</c> and the rest in <c>content</c>
    /// (DeepSeek's API shape). Off: the whole generated text in <c>content</c>, for clients that show or parse
    /// the reasoning themselves.
    /// </summary>
    public bool SeparateReasoning { get; set; } = true;

    /// <summary>Rules between settings, checked at start with the attributes above.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A reply queue without a consumer expires; the gateway must notice it reads nothing before that happens,
        // or the replies waiting in it are lost with it. A round of probes lasts up to two timeouts (the send and the
        // arrival are bounded each on its own, and the round waits for its slowest endpoint). At worst the consumer is
        // lost right after its probe arrived at the start of a round: that round, the interval, and the next round
        // pass before the endpoint is replaced (a replacement does not wait for the old endpoint to stop).
        if (ReceiveProbeInterval + (4 * ReceiveProbeTimeout) >= ReplyQueueExpiry)
        {
            yield return new ValidationResult(
                "Gateway:ReceiveProbeInterval plus four times Gateway:ReceiveProbeTimeout must be shorter than Gateway:ReplyQueueExpiry: " +
                "the gateway must notice that it no longer reads its reply queue before the broker deletes the queue.",
                [nameof(ReceiveProbeInterval), nameof(ReceiveProbeTimeout), nameof(ReplyQueueExpiry)]);
        }
    }
}
