using System.Globalization;
using InferenceCluster.Contracts;
using Xunit.Abstractions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The model's queue is deleted (<c>rabbitmqctl delete_queue</c>) while its worker cannot declare it again (frozen with
/// SIGSTOP), and a request is sent then. The gateway sent earlier commands to that queue's exchange, so its command is
/// routed to nothing: it must not be confirmed and dropped, but come back and be sent again, which declares the queue
/// again, so the command waits there and the worker answers it once it runs.
/// </summary>
[Collection(DrillCollection.Name)]
public sealed class ModelQueueDeletedDrillTests(ITestOutputHelper output)
{
    private const int MaxTokens = 12;

    /// <summary>Generous: the resend takes a few seconds at most, and the queue is looked at every 50 ms.</summary>
    private static readonly TimeSpan HeldPatience = TimeSpan.FromSeconds(30);

    /// <summary>As long as the context allows, so that the deletion meets the run mid-way.</summary>
    private const int LongMaxTokens = 1900;

    /// <summary>Generous: the consume is cancelled at once; before, the request waited for its deadline.</summary>
    private static readonly TimeSpan RunningPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ModelQueueDeletedWhileNoWorkerDeclaresIt_RequestSentThenWaitsInTheQueueAndIsAnswered()
    {
        await using var cluster = new DrillCluster(gatewaySettings: new Dictionary<string, string>
        {
            // The frozen worker sends no heartbeats; the gateway must still take the request meant for it.
            ["Gateway__WorkerLiveness"] = TimeSpan.FromMinutes(10).ToString(),
            ["Gateway__RequestTimeout"] = TimeSpan.FromMinutes(5).ToString(),
        });
        var starting = cluster.StartWorkerAsync("worker-a");

        // A dropped command is never answered; the client gives up well before the request's deadline.
        var gateway = await cluster.StartGatewayAsync("gateway", clientTimeout: TimeSpan.FromSeconds(90));
        var worker = await starting;

        // The gateway declares the queue and its binding once, on its first send to the model: later sends go to the exchange.
        var before = await gateway.AskAsync(DrillRequest.Greedy($"Queue drill {cluster.Run}: before.", stream: false, MaxTokens));
        Assert.True(before.Succeeded, $"before the deletion: {before}\n{cluster.Output()}");

        worker.Freeze();
        DrillAnswer after;
        uint? held;
        try
        {
            await cluster.DeleteModelQueueAsync();
            var asked = gateway.AskAsync(DrillRequest.Greedy($"Queue drill {cluster.Run}: after.", stream: true, MaxTokens));

            // Nobody but the gateway can declare the queue now: a command in it is one the gateway sent again.
            held = await cluster.WaitForModelQueueMessagesAsync(1, HeldPatience);
            worker.Thaw();
            after = await asked;
        }
        finally
        {
            worker.Thaw();
        }

        Assert.True(held == 1, $"the command should wait in the model's queue, declared again by the gateway; the queue holds {held?.ToString(CultureInfo.InvariantCulture) ?? "nothing (it does not exist)"}\n{cluster.Output()}");
        Assert.True(after.Succeeded, $"after the deletion: {after}\n{cluster.Output()}");
        var resent = gateway.Process.Count("returned by the broker");
        Assert.True(resent >= 1, $"the gateway should have said it sent a returned command again\n{cluster.Output()}");
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"model queue deleted under a frozen worker: the command of a request sent then was returned {resent} time(s), " +
            $"sent again into the queue the gateway declared again, and answered {after.Elapsed.TotalSeconds:0.0} s after it was sent, " +
            $"once the worker ran again"));
    }

    [Fact]
    public async Task ModelQueueDeletedWhileItsWorkerRuns_RunningRequestsEndWithARetryableErrorNotTheirDeadline()
    {
        // Deleting the queue cancels the worker's consumer; the bus gives the running consumes Worker:DrainGrace, then
        // cancels them. Their commands are gone with the queue, so a run left for redelivery was never answered: its
        // client waited for the request's deadline.
        await using var cluster = new DrillCluster();
        var starting = cluster.StartWorkerAsync("worker-a", new Dictionary<string, string>
        {
            // None, so that the consumes are cancelled as soon as the consumer is, well before the runs would end.
            ["Worker__DrainGrace"] = TimeSpan.Zero.ToString(),
        });
        var gateway = await cluster.StartGatewayAsync("gateway");
        var worker = await starting;

        // Three runs sharing the engine's steps, each slower than one alone.
        var requests = Enumerable.Range(0, 3)
            .Select(i => new DrillRequest($"Queue drill {cluster.Run} {i}: running.", Stream: true, Temperature: 0, Seed: null, LongMaxTokens, MinTokens: LongMaxTokens))
            .ToList();
        var load = DrillLoad.Start(gateway, requests);
        await load.AllStreamingAsync();
        await cluster.DeleteModelQueueAsync();

        var ended = await Task.WhenAny(load.Answers, Task.Delay(RunningPatience)) == load.Answers;
        Assert.True(ended, $"not every running request ended within {RunningPatience.TotalSeconds:0} s of the deletion\n{cluster.Output()}");
        var answers = await load.Answers;
        var interrupted = answers.Count(answer => answer.Error?.Contains(FailureCodes.WorkerInterrupted, StringComparison.Ordinal) == true);
        Assert.All(answers, answer => Assert.True(
            answer.Succeeded || answer.Error?.Contains(FailureCodes.WorkerInterrupted, StringComparison.Ordinal) == true,
            $"a running request should end answered or with the retryable {FailureCodes.WorkerInterrupted}: {answer}\n{cluster.Output()}"));
        Assert.True(interrupted > 0, $"every run ended on its own before its consume was cancelled, so the drill tested nothing\n{cluster.Output()}");
        Assert.Equal(interrupted, worker.Count("the broker cancelled this worker's consumer"));
        DrillFigures.Print(output, string.Create(
            CultureInfo.InvariantCulture,
            $"model queue deleted while its worker streamed 3 requests of {LongMaxTokens} tokens (Worker:DrainGrace 0): {interrupted} ended with " +
            $"{FailureCodes.WorkerInterrupted}, {answers.Count(answer => answer.Succeeded)} answered; the last {answers.Max(answer => answer.Elapsed).TotalSeconds:0.0} s after it was sent"));
    }
}
