using System.Diagnostics;
using InferenceCluster.ServiceDefaults;
using OpenTelemetry.Trace;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

/// <summary>
/// OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG decide the traces of requests; heartbeats stay out and children follow
/// their parent whatever they say. The services set a sampler in code, and the SDK ignored both.
/// </summary>
public sealed class TraceSamplingTests
{
    [Theory]
    [InlineData(null, null, true)]
    [InlineData("parentbased_always_on", null, true)]
    [InlineData("PARENTBASED_ALWAYS_OFF", null, false)]
    [InlineData("always_off", null, false)]
    [InlineData("parentbased_traceidratio", "0", false)]
    [InlineData("parentbased_traceidratio", "1", true)]
    public void Create_Setting_DecidesARequestTraceAndKeepsHeartbeatsOut(string? sampler, string? argument, bool exported)
    {
        var problems = new List<string>();
        var settings = new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = sampler, ["OTEL_TRACES_SAMPLER_ARG"] = argument };

        var created = TraceSampling.Create(name => settings.GetValueOrDefault(name), problems);

        Assert.Empty(problems);
        Assert.Equal(exported, Decide(created, "chat deepseek-r1-test-tiny") == SamplingDecision.RecordAndSample);
        Assert.NotEqual(SamplingDecision.RecordAndSample, Decide(created, "WorkerHeartbeat send"));
    }

    [Theory]
    [InlineData("parentbased_traceidratio", true)]
    [InlineData("parentbased_traceidratio", false)]
    [InlineData("parentbased_always_off", true)]
    public void Create_ParentBased_ChildFollowsItsParent(string sampler, bool parentSampled)
    {
        var settings = new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = sampler, ["OTEL_TRACES_SAMPLER_ARG"] = sampler.EndsWith("ratio", StringComparison.Ordinal) ? "0" : null };
        var created = TraceSampling.Create(name => settings.GetValueOrDefault(name), []);
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), parentSampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);

        var decision = created.ShouldSample(new SamplingParameters(parent, parent.TraceId, "generate-deepseek process", ActivityKind.Consumer)).Decision;

        Assert.Equal(parentSampled, decision == SamplingDecision.RecordAndSample);
    }

    private static SamplingDecision Decide(Sampler sampler, string name) =>
        sampler.ShouldSample(new SamplingParameters(default, ActivityTraceId.CreateRandom(), name, ActivityKind.Client)).Decision;
}
