using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>One message from the worker for a request: exactly one of the three is set.</summary>
internal sealed record ReplyEvent
{
    public CompletionDelta? Delta { get; private init; }

    public CompletionFinished? Finished { get; private init; }

    public CompletionFailed? Failed { get; private init; }

    /// <summary>The last message of a request.</summary>
    public bool IsTerminal => Finished is not null || Failed is not null;

    /// <summary>The token position the message starts at (for a final or failure message, the one after the last token).</summary>
    public int Position => Delta?.Position ?? Finished?.Position ?? Failed!.Position;

    public static ReplyEvent Of(CompletionDelta delta) => new() { Delta = delta };

    public static ReplyEvent Of(CompletionFinished finished) => new() { Finished = finished };

    public static ReplyEvent Of(CompletionFailed failed) => new() { Failed = failed };
}
