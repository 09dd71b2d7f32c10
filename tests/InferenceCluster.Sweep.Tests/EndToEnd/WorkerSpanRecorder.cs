using System.Collections.Concurrent;
using System.Diagnostics;

namespace InferenceCluster.Sweep.Tests.EndToEnd;

/// <summary>
/// Records the settings the worker itself saw: every "prefill" span of the worker's ActivitySource
/// carries the request's complete GenerationConfig as attributes, set from the consumed message,
/// so this is the worker's view, not the HTTP request's.
/// </summary>
internal sealed class WorkerSpanRecorder : IDisposable
{
    private const string WorkerSource = "InferenceCluster.Worker";
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<WorkerSettings> _seen = new();

    public WorkerSpanRecorder(string model)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WorkerSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "prefill" && Equals(activity.GetTagItem("gen_ai.request.model"), model))
                {
                    _seen.Enqueue(new WorkerSettings(
                        activity.GetTagItem("inference_cluster.request_id")!.ToString()!,
                        (double)activity.GetTagItem("gen_ai.request.temperature")!,
                        (double)activity.GetTagItem("gen_ai.request.top_p")!,
                        (int)activity.GetTagItem("gen_ai.request.max_tokens")!,
                        (double)activity.GetTagItem("inference_cluster.request.repetition_penalty")!,
                        activity.GetTagItem("gen_ai.request.seed") as long?));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<WorkerSettings> Seen => [.. _seen];

    public void Dispose() => _listener.Dispose();
}
