using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.Telemetry;

public sealed class WorkerTelemetryTests
{
    [Fact]
    public async Task Consume_Recorded_QueueWaitPrefillAndDecodeSpansCarryTheRequestSettings()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Record(spans, "InferenceCluster.Worker", "MassTransit");

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a", "b", "c"])));
        var command = WorkerHarness.Command(stream: true);
        await worker.SendAsync(command);
        await worker.WaitForRepliesAsync(command.RequestId);

        var mine = spans.Where(s => s.Source.Name == "InferenceCluster.Worker"
            && Equals(s.GetTagItem("inference_cluster.request_id"), command.RequestId)).ToList();
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

    [Fact]
    public async Task Consume_Finished_CountsOutcomeAndTokensPerModel()
    {
        var model = $"metrics-{Guid.NewGuid():N}";
        var measurements = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "InferenceCluster.Worker")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var bag = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                bag[tag.Key] = tag.Value;
            }

            measurements.Enqueue((instrument.Name, value, bag));
        });
        listener.Start();

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a", "b", "c"]), modelId: model));
        var command = WorkerHarness.Command(stream: false, model: model);
        await worker.SendAsync(command, queue: $"generate-{model}");
        await worker.WaitForRepliesAsync(command.RequestId);

        // The outcome is counted once the consume method ends, just after the final message went out.
        Assert.True(await worker.Harness.Consumed.Any<InferenceCluster.Contracts.GenerateCompletion>(m => m.Context.Message.RequestId == command.RequestId));
        var mine = measurements.Where(m => Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), model)).ToList();
        var request = Assert.Single(mine, m => m.Instrument == "inference_cluster.worker.requests");
        Assert.Equal("stop", request.Tags["inference_cluster.outcome"]);
        Assert.Equal(3, mine.Single(m => m.Instrument == "inference_cluster.worker.tokens" && Equals(m.Tags["gen_ai.token.type"], "output")).Value);
        Assert.Equal(5, mine.Single(m => m.Instrument == "inference_cluster.worker.tokens" && Equals(m.Tags["gen_ai.token.type"], "input")).Value);
    }

    [Fact]
    public async Task Consume_EngineFittedMaxTokens_FinalMessageAndSpanSayTheAppliedLimit()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Record(spans, "InferenceCluster.Worker");
        static async IAsyncEnumerable<GenerationEvent> Fitted()
        {
            yield return new PrefillCompleted(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            await Task.Yield();
            yield return new TokenGenerated(0, "a", null);
            yield return new GenerationCompleted(GenerationFinishReason.Length, new CompletionUsage(5, 1, 0), TimeSpan.FromMilliseconds(1), MaxTokens: 1);
        }

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => Fitted()));
        var command = WorkerHarness.Command(stream: false);
        command = command with { Config = command.Config with { FitMaxTokensToContext = true } };
        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(1, replies.Finished!.MaxTokens);
        var decode = Assert.Single(spans, s => s.OperationName == "decode" && Equals(s.GetTagItem("inference_cluster.request_id"), command.RequestId));
        Assert.Equal(64, decode.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(true, decode.GetTagItem("inference_cluster.request.max_tokens_fit_to_context"));
        Assert.Equal(1, decode.GetTagItem("inference_cluster.request.applied_max_tokens"));
    }

    [Fact]
    public async Task Consume_EngineFittedMinTokens_SpanSaysTheAppliedFloor()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = Record(spans, "InferenceCluster.Worker");
        static async IAsyncEnumerable<GenerationEvent> Fitted()
        {
            yield return new PrefillCompleted(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            await Task.Yield();
            yield return new TokenGenerated(0, "a", null);
            yield return new GenerationCompleted(GenerationFinishReason.Length, new CompletionUsage(5, 1, 0), TimeSpan.FromMilliseconds(1),
                MaxTokens: 1, MinTokens: 1);
        }

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => Fitted()));
        var command = WorkerHarness.Command(stream: false);
        command = command with { Config = command.Config with { MinTokens = 40, FitMinTokensToContext = true } };
        await worker.SendAsync(command);
        await worker.WaitForRepliesAsync(command.RequestId);

        // min_tokens stays the request's floor; the applied one is what the engine ran with.
        var decode = Assert.Single(spans, s => s.OperationName == "decode" && Equals(s.GetTagItem("inference_cluster.request_id"), command.RequestId));
        Assert.Equal(40, decode.GetTagItem("inference_cluster.request.min_tokens"));
        Assert.Equal(true, decode.GetTagItem("inference_cluster.request.min_tokens_fit_to_context"));
        Assert.Equal(1, decode.GetTagItem("inference_cluster.request.applied_min_tokens"));
    }

    /// <summary>Records every span of the named sources as it stops, until the listener is disposed.</summary>
    private static ActivityListener Record(ConcurrentQueue<Activity> spans, params string[] sources)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
