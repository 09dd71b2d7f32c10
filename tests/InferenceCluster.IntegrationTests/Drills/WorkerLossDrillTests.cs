using System.Diagnostics;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A worker process killed with SIGKILL while it streams: the broker hands its unacknowledged requests to the
/// other worker, and every client still gets exactly the text a clean run gives, streamed or not.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class WorkerLossDrillTests(ITestOutputHelper output)
{
    private const int Requests = 16;
    private const int MaxTokens = 600;

    [Fact]
    public async Task WorkerKilledMidStream_GreedyAndSeededAnswers_EqualACleanRun()
    {
        await using var cluster = new DrillCluster();
        var workers = await Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));
        var gateway = await cluster.StartGatewayAsync("gateway");
        var requests = DrillRequest.Deterministic("loss", Requests, MaxTokens);

        var clean = await Task.WhenAll(requests.Select(request => gateway.AskAsync(request)));
        Assert.All(clean, answer => Assert.True(answer.Succeeded, $"clean run: {answer}\n{cluster.Output()}"));
        await cluster.ClearCacheAsync();

        // Kill a worker once every stream has shown text, so the requests it holds die mid-answer.
        var streams = requests.Count(request => request.Stream);
        var streaming = 0;
        var allStreaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var drill = requests.Select(request => gateway.AskAsync(request, answer =>
        {
            if (answer.Chunks == 1 && Interlocked.Increment(ref streaming) == streams)
            {
                allStreaming.TrySetResult();
            }
        })).ToArray();
        await allStreaming.Task.WaitAsync(TimeSpan.FromSeconds(60));
        workers[0].Kill();
        var killedAt = clock.Elapsed;
        var answers = await Task.WhenAll(drill);
        var total = clock.Elapsed;

        var resumed = gateway.Process.Count("resumed at token");
        var redelivered = workers[1].Count("redelivered");
        output.WriteLine(
            $"DRILL worker SIGKILL mid-stream: {Requests} requests ({streams} streamed; greedy and seeded) of {MaxTokens} tokens; worker-a killed at {killedAt.TotalSeconds:0.00} s; " +
            $"{redelivered} requests redelivered to worker-b, {resumed} streams resumed by token position; all answered in {total.TotalSeconds:0.00} s " +
            $"(clean run {clean.Max(answer => answer.Elapsed).TotalSeconds:0.00} s); answers equal to the clean run: {answers.Zip(clean).Count(pair => pair.First.Text == pair.Second.Text)}/{Requests}");
        Assert.True(resumed > 0, $"no stream was resumed: worker-a was killed after its streams ended, so the drill tested nothing\n{cluster.Output()}");
        foreach (var (answer, reference) in answers.Zip(clean))
        {
            Assert.True(answer.Succeeded, $"{answer}\n{cluster.Output()}");
            Assert.True(reference.Text == answer.Text, $"{answer.Request.Label}: {answer.Text.Length} chars, a clean run gave {reference.Text.Length}; first difference at {FirstDifference(answer.Text, reference.Text)}");
            Assert.Equal(reference.CompletionTokens, answer.CompletionTokens);
            Assert.Equal(reference.PromptTokens, answer.PromptTokens);
        }
    }

    private static int FirstDifference(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return length;
    }
}
