namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// <c>stream_options</c>, the same on every endpoint that streams: only with <c>stream: true</c>.
/// <c>include_obfuscation</c> asks OpenAI to pad each delta event with an <c>obfuscation</c> field of random characters,
/// so that an observer of the encrypted stream cannot tell tokens' lengths from the events' sizes. Events here are never
/// padded: <c>false</c> is honoured as it stands, and <c>true</c> is a 400 naming it rather than a promise not kept.
/// </summary>
internal static class StreamOptionsRule
{
    /// <summary>
    /// Whether to stream, and whether the stream ends with a usage chunk. It takes the two members, not the request, which
    /// carries the sampling settings: those pass only the files on their way to the engine.
    /// </summary>
    public static (bool Stream, bool IncludeUsage) Validate(bool? requestedStream, StreamOptionsDto? streamOptions)
    {
        var stream = requestedStream ?? false;
        if (streamOptions is not { } options)
        {
            return (stream, false);
        }

        if (!stream)
        {
            throw OpenAIException.InvalidValue("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        }

        RequestValidator.RejectUnknown(options.AdditionalProperties, prefix: "stream_options.");
        if (options.IncludeObfuscation == true)
        {
            throw OpenAIException.Unsupported(
                "stream_options.include_obfuscation",
                "'stream_options.include_obfuscation' cannot be true: this server does not pad stream events with an 'obfuscation' field; set it to false or leave it out.");
        }

        return (stream, options.IncludeUsage ?? false);
    }
}
