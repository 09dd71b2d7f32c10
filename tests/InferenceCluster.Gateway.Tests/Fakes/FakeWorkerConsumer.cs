using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// Stands in for a worker on the model queue. Behaviour by the last user message (or the prompt of a text completion): "hang" never answers, "stall after first delta" stops after one delta,
/// "too long" fails with context_length_exceeded, "fail midway" fails after one delta; anything else is
/// echoed with the resolved config. Streamed replies are sent out of order and with a duplicate, as a
/// redelivering broker might.
/// </summary>
public sealed class FakeWorkerConsumer(FakeWorkerState state) : IConsumer<GenerateCompletion>
{
    public const string WorkerId = "fake-worker-1";
    public const string Revision = "rev-1";

    public async Task Consume(ConsumeContext<GenerateCompletion> context)
    {
        var command = context.Message;
        state.Received.Enqueue(command);
        var reply = await context.GetSendEndpoint(command.ReplyAddress);
        var prompt = command.Messages?[^1].Content ?? command.Prompt!;
        switch (prompt)
        {
            case "hang":
                return;
            case "too long":
                await reply.Send(Failed(command, 0, FailureCodes.ContextLengthExceeded, "The prompt has 9000 tokens; the model's context holds 2048."));
                return;
            case "stall after first delta":
                await reply.Send(Delta(command, 0, "first"));
                return;
            case "fail midway":
                await reply.Send(Delta(command, 0, "partial"));
                await reply.Send(Failed(command, 1, "engine_error", "The engine failed."));
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

    private static CompletionDelta Delta(GenerateCompletion command, long sequence, string text) =>
        new() { RequestId = command.RequestId, Sequence = sequence, Text = text, TokenCount = 1 };

    private static CompletionFinished Finished(GenerateCompletion command, long sequence, string? text) => new()
    {
        RequestId = command.RequestId,
        Sequence = sequence,
        FinishReason = FinishReason.Stop,
        Usage = new CompletionUsage(7, 3, 0),
        Timings = new CompletionTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
        WorkerId = WorkerId,
        ModelRevision = Revision,
        Text = text,
    };

    private static CompletionFailed Failed(GenerateCompletion command, long sequence, string code, string message) => new()
    {
        RequestId = command.RequestId, Sequence = sequence, Code = code, Message = message, Retryable = false, WorkerId = WorkerId,
    };
}
