namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Text the model reads (messages, prompts, instructions, stop strings) reaches the engine's tokenizer as a
/// NUL-terminated C string, which ends at the first U+0000: the model would read a shortened prompt, or stop at a
/// shortened stop string, and the answer would look like one to the request as sent. Such text is refused instead,
/// naming where it was found.
/// </summary>
internal static class ModelTextRule
{
    /// <summary>Returns <paramref name="text"/>, or throws the 400 naming <paramref name="param"/> when it holds U+0000.</summary>
    public static string Check(string text, string param)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('\0', StringComparison.Ordinal);
        return at < 0
            ? text
            : throw OpenAIException.InvalidValue(
                param,
                $"'{param}' contains a NUL character (U+0000) at position {at}, which the model's tokenizer cannot read; remove it.");
    }
}
