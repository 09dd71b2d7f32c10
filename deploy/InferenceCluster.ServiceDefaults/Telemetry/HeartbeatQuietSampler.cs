using System.Diagnostics;
using OpenTelemetry.Trace;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Exports no trace of worker heartbeats, and of the other traces those <paramref name="roots"/> samples (all of them
/// unless OTEL_TRACES_SAMPLER says otherwise). Each worker publishes a heartbeat every few seconds and each gateway
/// consumes it; exported, they would be most of the traces and push the requests out of a dashboard's trace list.
/// Children follow their parent's decision, so a request trace stays whole.
/// </summary>
internal sealed class HeartbeatQuietSampler(Sampler roots) : Sampler
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

        if (samplingParameters.Name.Contains(HeartbeatMarker, StringComparison.OrdinalIgnoreCase))
        {
            return Quiet;
        }

        // A root left out is recorded quietly too, not dropped: its children then find an unsampled parent and stay out,
        // rather than start traces of their own that the roots' sampler might keep, a request's fragments.
        return roots.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample ? Export : Quiet;
    }
}
