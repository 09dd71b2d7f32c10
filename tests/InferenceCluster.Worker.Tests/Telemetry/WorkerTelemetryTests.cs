using System.Collections.Concurrent;
using System.Diagnostics;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.Telemetry;

public sealed class WorkerTelemetryTests
{
    [Fact]
    public async Task Consume_Recorded_QueueWaitPrefillAndDecodeSpansCarryTheRequestSettings()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "InferenceCluster.Worker" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a", "b", "c"])));
        var command = WorkerHarness.Command(stream: true);
        await worker.SendAsync(command);
        await worker.WaitForRepliesAsync(command.RequestId);

        var mine = spans.Where(s => s.Source.Name == "InferenceCluster.Worker"
            && Equals(s.GetTagItem("inference.request_id"), command.RequestId)).ToList();
        var queueWait = Assert.Single(mine, s => s.OperationName == "queue.wait");
        var prefill = Assert.Single(mine, s => s.OperationName == "prefill");
        var decode = Assert.Single(mine, s => s.OperationName == "decode");

        Assert.Equal(command.EnqueuedAt.UtcDateTime, queueWait.StartTimeUtc);
        Assert.True(queueWait.Duration >= TimeSpan.FromMilliseconds(50), $"queue wait {queueWait.Duration}");
        Assert.Equal(0.7, prefill.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(0.9, decode.GetTagItem("gen_ai.request.top_p"));
        Assert.Equal(40, decode.GetTagItem("gen_ai.request.top_k"));
        Assert.Equal(64, decode.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(42L, decode.GetTagItem("gen_ai.request.seed"));
        Assert.Equal(3, decode.GetTagItem("gen_ai.usage.output_tokens"));

        // All three hang under the same parent: MassTransit's consume span.
        Assert.NotNull(prefill.ParentId);
        Assert.Equal(prefill.ParentSpanId, decode.ParentSpanId);
        Assert.Equal(prefill.ParentSpanId, queueWait.ParentSpanId);
        var parent = spans.SingleOrDefault(s => s.SpanId == prefill.ParentSpanId);
        Assert.Equal("MassTransit", parent?.Source.Name);
    }
}
