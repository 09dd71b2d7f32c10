using System.Diagnostics;
using OpenTelemetry.Trace;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Exports every trace except those of worker heartbeats. Each worker publishes one every few seconds and
/// each gateway consumes it; exported, they would be most of the traces and push the requests out of a
/// dashboard's trace list. Children follow their parent's decision, so a request trace stays whole.
/// </summary>
internal sealed class HeartbeatQuietSampler : Sampler
{
    // Both the publish span (named after the message type, WorkerHeartbeat) and the gateway's receive span
    // (named after its temporary queue, gateway-heartbeats) carry this word.
    private const string HeartbeatMarker = "heartbeat";

    private static readonly SamplingResult Export = new(SamplingDecision.RecordAndSample);

    // Recorded but not exported, rather than dropped: MassTransit's consume span then finds its receive
    // span as an unsampled parent and stays quiet too, instead of starting a trace of its own.
    private static readonly SamplingResult Quiet = new(SamplingDecision.RecordOnly);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId != default)
        {
            return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? Export : Quiet;
        }

        return samplingParameters.Name.Contains(HeartbeatMarker, StringComparison.OrdinalIgnoreCase) ? Quiet : Export;
    }
}
