using InferenceCluster.Contracts;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Text;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// Validates a request against the loaded model and picks its path, before any work. Every
/// setting is either honoured by the chosen path or rejected naming the OpenAI parameter.
/// </summary>
internal sealed class RequestPlanner(
    PromptEncoder encoder,
    int contextLength,
    int vocabSize,
    bool dynamicBatching,
    bool classicAvailable)
{
    // GenAI's engine accepts at most 16 stop strings totalling SamplingSettings.MaxStopBytes; the classic path follows suit.
    private const int MaxStops = 16;

    // GenAI's error for a chat template its engine cannot run: the model's fault, not the messages'.
    private const string UnsupportedTemplate = "Invalid or unsupported chat template";

    /// <summary>
    /// The prompt's tokens, the path that serves the request, the config it runs with (server-chosen token limits fitted
    /// to the context by <see cref="TokenRoom.Fitted"/>) and the parameter that carried the prompt, for any later rejection about
    /// it; throws <see cref="GenerationRejectedException"/> naming the parameter when the request cannot be honoured.
    /// </summary>
    public (int[] PromptTokens, GenerationPath Path, GenerationConfig Config, string InputParam) Plan(
        IReadOnlyList<ChatMessage>? messages, string? prompt, GenerationConfig config)
    {
        if (config is null)
        {
            throw Invalid(null, "A generation config is required.");
        }

        ValidateConfig(config);
        var (tokens, inputParam) = Encode(messages, prompt);
        if (tokens.Length == 0)
        {
            throw Invalid(inputParam, "The prompt is empty after tokenization.");
        }

        var (maxTokens, minTokens) = TokenRoom.Fitted(config.MaxTokens, config.FitMaxTokensToContext, config.MinTokens, config.FitMinTokensToContext,
            tokens.Length, contextLength, inputParam, $"this model's context of {contextLength} tokens");
        config = (maxTokens, minTokens) == (config.MaxTokens, config.MinTokens) ? config : config with { MaxTokens = maxTokens, MinTokens = minTokens };
        var path = ChoosePath(config);
        if (config.Guidance is not null && path != GenerationPath.DynamicEngine)
        {
            // Guidance rides on per-turn options, which only the dynamic engine applies per request.
            throw Invalid("response_format", $"response_format (guided decoding) needs the dynamic-batching engine; this request runs on the {path} path.");
        }

        return (tokens, path, config, inputParam);
    }

    private GenerationPath ChoosePath(GenerationConfig config)
    {
        if (config.Logprobs)
        {
            // Only the classic Generator exposes each step's logits.
            return classicAvailable ? GenerationPath.Classic
                : throw Invalid("logprobs", "logprobs need the classic path, which this paged model has no standard-layout folder for (Inference:ClassicModelPath).");
        }

        if (dynamicBatching)
        {
            return GenerationPath.DynamicEngine;
        }

        if (NativeRequest.Samples(config) && config.Seed is not null)
        {
            // Static batching rejects per-turn seeds; a per-request Generator honours them.
            return classicAvailable ? GenerationPath.Classic
                : throw Invalid("seed", "A seed on a static-batching model needs the classic path, which is disabled.");
        }

        return GenerationPath.StaticEngine;
    }

    private (int[] Tokens, string Param) Encode(IReadOnlyList<ChatMessage>? messages, string? prompt)
    {
        return (messages, prompt) switch
        {
            ({ Count: > 0 } chat, null) => (EncodeChat(chat)
                ?? throw Invalid("messages", "This model has no chat template to turn messages into its prompt; send the text as a prompt to /v1/completions."), "messages"),
            (null, { Length: 0 }) => (encoder.EncodeTemplateStart()
                ?? throw Invalid("prompt", "The prompt is empty and this model has no chat template to start one from; send at least one token of text."), "prompt"),
            (null, { } raw) => (encoder.Encode(raw), "prompt"),
            (not null, not null) => throw Invalid("messages", "Give either messages or a prompt, not both."),
            _ => throw Invalid("messages", "Give the chat messages or a prompt."),
        };
    }

    /// <summary>
    /// The conversation's tokens, or null without a chat template. A template that refuses these messages (roles out of
    /// turn, a system message it does not take) is the client's to fix, with the template's own words; one GenAI cannot
    /// run at all is the server's, and stays the engine's error.
    /// </summary>
    private int[]? EncodeChat(IReadOnlyList<ChatMessage> chat)
    {
        try
        {
            return encoder.EncodeChat(chat);
        }
        catch (OnnxRuntimeGenAIException ex) when (!ex.Message.Contains(UnsupportedTemplate, StringComparison.Ordinal))
        {
            throw Invalid("messages", $"The model's chat template refused these messages: {ex.Message}");
        }
    }

    private void ValidateConfig(GenerationConfig c)
    {
        (string Rule, double Value)[] ranged =
        [
            (SamplingSettings.MaxTokensParam, c.MaxTokens),
            (SamplingSettings.MinTokensParam, c.MinTokens),
            (SamplingSettings.TemperatureParam, c.Temperature),
            (SamplingSettings.TopPParam, c.TopP),
            (SamplingSettings.TopKParam, c.TopK),
            (SamplingSettings.RepetitionPenaltyParam, c.RepetitionPenalty),
            (SamplingSettings.TopLogprobsParam, c.TopLogprobs),
        ];
        foreach (var (rule, value) in ranged)
        {
            if (SamplingSettings.Check(rule, value, rule) is { } message)
            {
                throw Invalid(rule, message);
            }
        }

        if (c.MinTokens > c.MaxTokens)
        {
            throw Invalid("min_tokens", $"min_tokens must not exceed max_tokens ({c.MaxTokens}).");
        }

        if (c.DoSample && c.Temperature == 0)
        {
            throw Invalid("temperature", "Sampling needs a temperature above 0; use greedy decoding for temperature 0.");
        }

        if (c.TopK > vocabSize)
        {
            throw Invalid("top_k", $"top_k must not exceed the vocabulary size ({vocabSize}).");
        }

        if (c.NoRepeatNgramSize < 0)
        {
            throw Invalid("no_repeat_ngram_size", "no_repeat_ngram_size must be 0 (off) or positive.");
        }

        ValidateStops(c.Stop);
        if (c.Guidance is { } guidance
            && (guidance.Type is not ("json_schema" or "regex" or "lark_grammar") || string.IsNullOrEmpty(guidance.Data)))
        {
            throw Invalid("response_format", "Guidance needs a type of json_schema, regex or lark_grammar and non-empty data.");
        }

        if (c.TopLogprobs > 0 && !c.Logprobs)
        {
            throw Invalid("top_logprobs", "top_logprobs requires logprobs to be true.");
        }
    }

    private static void ValidateStops(IReadOnlyList<string>? stops)
    {
        if (stops is null)
        {
            throw Invalid("stop", "stop must be a list (possibly empty).");
        }

        if (stops.Count > MaxStops)
        {
            throw Invalid("stop", $"At most {MaxStops} stop strings (stop) are supported.");
        }

        if (stops.Any(string.IsNullOrEmpty))
        {
            throw Invalid("stop", "Each stop string must be non-empty.");
        }

        if (SamplingSettings.StopBytes(stops) > SamplingSettings.MaxStopBytes)
        {
            throw Invalid("stop", $"stop strings may hold at most {SamplingSettings.MaxStopBytes} bytes (UTF-8) together.");
        }
    }

    private static GenerationRejectedException Invalid(string? param, string message) => new(FailureCodes.InvalidConfig, param, message);
}
