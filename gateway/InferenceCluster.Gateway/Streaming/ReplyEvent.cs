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

    /// <summary>
    /// What makes the message impossible to place among the request's tokens (a worker fault), or null when it can be.
    /// </summary>
    public string? Malformation => this switch
    {
        { Position: < 0 } => $"a reply at token position {Position}",
        { Delta.Tokens: null } => "a delta without tokens",
        { Finished: { Tokens: { } tail } finished } when tail.Count > finished.Position =>
            $"a final message ending at token position {finished.Position} that carries {tail.Count} tokens",
        _ => null,
    };

    public static ReplyEvent Of(CompletionDelta delta) => new() { Delta = delta };

    public static ReplyEvent Of(CompletionFinished finished) => new() { Finished = finished };

    public static ReplyEvent Of(CompletionFailed failed) => new() { Failed = failed };
}
