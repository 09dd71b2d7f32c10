using InferenceCluster.Contracts;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// Stands in for a worker on the model queue. Behaviour by the last user message (or the prompt of a text completion): "hang" never answers, "stall after first delta" stops after one delta,
/// "consumer faults" throws (as a worker whose replies could not be sent does; the transport then faults the command), "consumer faults naming the broker"
/// throws a bus error that names the broker with its user, "fault after first delta" throws after one delta,
/// "too long" fails with context_length_exceeded, "room for fewer tokens" and "grammar refused" fail naming
/// max_tokens and response_format, as a worker names them, "fail midway" fails after one delta, "worker stopping" fails with a retryable worker_stopping, "final before its tokens"
/// sends a final message whose position is below the number of tokens it carries, "delta before the start" sends a
/// delta at position -1 and nothing more, "prefix reused" reports 5 of its 7 prompt tokens reused from the engine's prefix cache, "rerun after loss" and
/// "rerun differs" play a first run that dies after a few tokens and a second run of the whole request (grouped
/// differently; the same tokens, or other ones); a message starting with <see cref="ReasoningAcrossTheTag"/> answers
/// <see cref="ReasoningAnswer"/>, streamed in deltas one of which holds the end of the reasoning and the start of the answer; anything else is echoed with the resolved config. Streamed
/// replies are sent out of order and with a duplicate, as a redelivering broker might.
/// </summary>
public sealed class FakeWorkerConsumer(FakeWorkerState state) : IConsumer<GenerateCompletion>
{
    public const string WorkerId = "fake-worker-1";
    public const string Revision = "rev-1";
    public const string ReasoningAcrossTheTag = "reasoning across the tag";
    public const string ReasoningAnswer = "Two and two.</think>\n\nFour, since two and two make four.";

    public async Task Consume(ConsumeContext<GenerateCompletion> context)
    {
        var command = context.Message;
        state.Received.Enqueue(command);
        var reply = await context.GetSendEndpoint(command.ReplyAddress);
        var prompt = command.Messages?[^1].Content ?? command.Prompt!;
        if (prompt.StartsWith(ReasoningAcrossTheTag, StringComparison.Ordinal))
        {
            await SendReasoningAsync(reply, command);
            return;
        }

        switch (prompt)
        {
            case "hang":
                return;
            case "consumer faults":
                throw new InvalidOperationException("The replies of this request could not be sent.");
            case "consumer faults naming the broker":
                throw new InvalidOperationException(LogAssert.BusError);
            case "fault after first delta":
                await reply.Send(Delta(command, 0, "first"));
                throw new InvalidOperationException("The replies of this request could not be sent.");
            case "too long":
                await reply.Send(Failed(command, 0, FailureCodes.ContextLengthExceeded, "The prompt has 9000 tokens; the model's context holds 2048."));
                return;
            case "room for fewer tokens":
                await reply.Send(Failed(command, 0, FailureCodes.ContextLengthExceeded, "The prompt plus max_tokens exceeds the context.") with { Param = "max_tokens" });
                return;
            case "grammar refused":
                await reply.Send(Failed(command, 0, FailureCodes.InvalidConfig, "response_format cannot be honoured here.") with { Param = "response_format" });
                return;
            case "worker stopping":
                await reply.Send(Failed(command, 0, "worker_stopping", "The worker is stopping.") with { Retryable = true });
                return;
            case "stall after first delta":
                await reply.Send(Delta(command, 0, "first"));
                return;
            case "fail midway":
                await reply.Send(Delta(command, 0, "partial"));
                await reply.Send(Failed(command, 1, "engine_error", "The engine failed."));
                return;
            case "rerun after loss":
                await SendRunsAsync(reply, command, "a long answer, token by token", "a long answer, token by token");
                return;
            case "delta before the start":
                await reply.Send(Delta(command, -1, "x"));
                return;
            case "final before its tokens":
                await reply.Send(Finished(command, 1, null) with { Tokens = ["a", "b", "c"] });
                return;
            case "rerun differs":
                await SendRunsAsync(reply, command, "the first sample of an answer", "another sample, another text");
                return;
            case "prefix reused":
                await reply.Send(Finished(command, 0, "reused") with { Usage = new CompletionUsage(7, 3, 5) });
                return;
        }

        var text = $"echo:{prompt}|t={command.Config.Temperature}|sample={command.Config.DoSample}|max={command.Config.MaxTokens}|seed={command.Config.Seed}";
        if (!command.Stream)
        {
            await reply.Send(Finished(command, 0, text));
            return;
        }

        var third = text.Length / 3;
        string[] parts = [text[..third], text[third..(2 * third)], text[(2 * third)..]];
        await reply.Send(Delta(command, 1, parts[1]));
        await reply.Send(Delta(command, 0, parts[0]));
        await reply.Send(Delta(command, 0, parts[0]));
        await reply.Send(Finished(command, 3, null));
        await reply.Send(Delta(command, 2, parts[2]));
    }

    private static async Task SendReasoningAsync(ISendEndpoint reply, GenerateCompletion command)
    {
        if (!command.Stream)
        {
            await reply.Send(Finished(command, 0, ReasoningAnswer));
            return;
        }

        var tag = ReasoningAnswer.IndexOf("</think>", StringComparison.Ordinal);
        await reply.Send(Delta(command, 0, ReasoningAnswer[..4]));
        await reply.Send(Delta(command, 1, ReasoningAnswer[4..(tag + 15)]));
        await reply.Send(Delta(command, 2, ReasoningAnswer[(tag + 15)..]));
        await reply.Send(Finished(command, 3, null));
    }

    /// <summary>
    /// The first run sends 7 one-character tokens in deltas of 3 and 4, then dies; the second run sends all of
    /// its tokens from position 0 in deltas of 5 (so none starts where one of the first run did), the last of them
    /// on its final message.
    /// </summary>
    private static async Task SendRunsAsync(ISendEndpoint reply, GenerateCompletion command, string first, string second)
    {
        await reply.Send(Tokens(command, 0, first[..3]));
        await reply.Send(Tokens(command, 3, first[3..7]));
        var last = (second.Length - 1) / 5 * 5;
        for (var position = 0; position < last; position += 5)
        {
            await reply.Send(Tokens(command, position, second[position..Math.Min(second.Length, position + 5)]));
        }

        // The last tokens ride on the final message, as a worker sends what no delta carried yet.
        await reply.Send(Finished(command, second.Length, null) with
        {
            Usage = new CompletionUsage(7, second.Length, 0),
            Tokens = [.. second[last..].Select(c => c.ToString())],
        });
    }

    private static CompletionDelta Tokens(GenerateCompletion command, int position, string characters) =>
        new() { RequestId = command.RequestId, Position = position, Tokens = [.. characters.Select(c => c.ToString())] };

    private static CompletionDelta Delta(GenerateCompletion command, int position, string text) =>
        new() { RequestId = command.RequestId, Position = position, Tokens = [text] };

    private static CompletionFinished Finished(GenerateCompletion command, int position, string? text) => new()
    {
        RequestId = command.RequestId,
        Position = position,
        FinishReason = FinishReason.Stop,
        Usage = new CompletionUsage(7, 3, 0),
        Timings = new CompletionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        WorkerId = WorkerId,
        ModelRevision = Revision,
        Text = text,
    };

    private static CompletionFailed Failed(GenerateCompletion command, int position, string code, string message) => new()
    {
        RequestId = command.RequestId, Position = position, Code = code, Message = message, Retryable = false, WorkerId = WorkerId,
    };
}
