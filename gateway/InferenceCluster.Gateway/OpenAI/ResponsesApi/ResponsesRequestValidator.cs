using System.Text.Json;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// Reads and validates a <c>POST /v1/responses</c> body. The members shared with chat go through <see cref="RequestValidator"/>; responses are not stored
/// and no tools run, so whatever would need either is a 400 naming it rather than a setting quietly dropped.
/// </summary>
internal static class ResponsesRequestValidator
{
    /// <summary>OpenAI's names of the output <c>include</c> adds to a response.</summary>
    private static readonly string[] Includables =
    [
        "web_search_call.results", "web_search_call.action.sources", "code_interpreter_call.outputs", "computer_call_output.output.image_url",
        "file_search_call.results", "message.input_image.image_url", "message.output_text.logprobs", "reasoning.encrypted_content",
    ];

    private const string EncryptedReasoning = "reasoning.encrypted_content";

    public static ValidatedResponsesRequest Validate(JsonElement body)
    {
        var request = RequestValidator.Read(body, ResponsesJsonContext.Wire.ResponsesRequest);
        RequestValidator.RejectUnknown(request.AdditionalProperties, prefix: null);
        RequestValidator.RequireModel(request);

        var messages = new List<ChatMessage>();
        if (request.Instructions is { } instructions)
        {
            messages.Add(new ChatMessage("system", ModelTextRule.Check(instructions, "instructions")));
        }

        messages.AddRange(ResponsesInputReader.Read(request.Input));
        RejectStoredState(request);
        var includeEncryptedReasoning = ReadInclude(request.Include);
        var toolChoice = ToolsRule.Validate(request.Tools, request.ToolChoice);
        var metadata = MetadataRule.Validate(request.Metadata);
        RejectChatOnly(request);
        var common = RequestValidator.Validate(request, request.MaxOutputTokens, logprobs: false, topLogprobs: null, maxTokensParam: "max_output_tokens");
        var (guidance, format) = ResponsesTextFormatReader.Read(request.Text);
        return new ValidatedResponsesRequest
        {
            // The final response.completed event carries the usage, so a stream always ends with it.
            Request = common with { Messages = messages, Guidance = guidance, IncludeUsage = true },
            Instructions = request.Instructions,
            TextFormat = format,
            Metadata = metadata,
            ToolChoice = toolChoice,
            ParallelToolCalls = request.ParallelToolCalls ?? true,
            IncludeEncryptedReasoning = includeEncryptedReasoning,
        };
    }

    private static void RejectStoredState(ResponsesRequest request)
    {
        if (request.Store == true)
        {
            throw OpenAIException.Unsupported("store", "Responses are not stored on this server; set 'store' to false or leave it out.");
        }

        if (request.PreviousResponseId is not null)
        {
            throw OpenAIException.Unsupported(
                "previous_response_id", "Responses are not stored on this server, so 'previous_response_id' cannot be followed; send the conversation in 'input'.");
        }

        if (request.Conversation is { ValueKind: not (JsonValueKind.Null or JsonValueKind.String or JsonValueKind.Object) })
        {
            throw OpenAIException.InvalidType("conversation", "a string or an object");
        }

        if (IsSet(request.Conversation))
        {
            throw OpenAIException.Unsupported("conversation", "Conversations are not stored on this server; send the conversation in 'input'.");
        }

        if (request.Background == true)
        {
            throw OpenAIException.Unsupported("background", "Background responses need stored state, which this server does not keep.");
        }

        if (request.MaxToolCalls is not null)
        {
            throw OpenAIException.Unsupported("max_tool_calls", "Tools are not supported on this server.");
        }

        if (request.Prompt is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Object) })
        {
            throw OpenAIException.InvalidType("prompt", "an object");
        }

        if (IsSet(request.Prompt))
        {
            throw OpenAIException.Unsupported("prompt", "Stored prompt templates are not supported on this server.");
        }
    }

    /// <summary>
    /// Whether <c>include</c> asks for the reasoning's sealed text, the one output this server can add; any other of OpenAI's
    /// names is refused, a malformed list named as OpenAI names it.
    /// </summary>
    private static bool ReadInclude(JsonElement? include)
    {
        if (include is not { ValueKind: not JsonValueKind.Null } list)
        {
            return false;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw OpenAIException.InvalidType("include", "an array of strings");
        }

        if (OpenAIException.FirstItemNotOf(list, JsonValueKind.String, "include", "a string") is { } malformed)
        {
            throw malformed;
        }

        // A name outside OpenAI's is a mistake to name; one of OpenAI's asks for output this server does not produce.
        var index = list.EnumerateArray().TakeWhile(item => Includables.Contains(item.GetString(), StringComparer.Ordinal)).Count();
        if (index < list.GetArrayLength())
        {
            throw OpenAIException.InvalidEnum($"include[{index}]", list[index].GetString()!, Includables);
        }

        var names = list.EnumerateArray().Select(item => item.GetString()).ToList();
        var other = names.FindIndex(name => name != EncryptedReasoning);
        if (other >= 0)
        {
            throw OpenAIException.Unsupported(
                $"include[{other}]",
                $"'include[{other}]' is '{names[other]}': only '{EncryptedReasoning}' can be included here; the response already holds everything else this server produces.");
        }

        return names.Count > 0;
    }

    private static void RejectChatOnly(ResponsesRequest request)
    {
        ReasoningRule.Validate(request.Reasoning);
        if (request.Truncation is not (null or "disabled"))
        {
            throw request.Truncation == "auto"
                ? OpenAIException.Unsupported("truncation", "Only 'truncation': 'disabled' is supported; an input too long for the model is a 400.")
                : OpenAIException.InvalidEnum("truncation", request.Truncation, ["auto", "disabled"]);
        }

        if (request.TopLogprobs is { } top)
        {
            RequestValidator.Throw(SamplingSettings.TopLogprobsParam, top);
            throw OpenAIException.Unsupported("top_logprobs", "Log-probabilities are not offered on /v1/responses; use /v1/chat/completions.");
        }

        if (request.MaxTokens is not null)
        {
            throw OpenAIException.UnknownParameter("max_tokens");
        }

        if (request.N is not null)
        {
            throw OpenAIException.UnknownParameter("n");
        }

        // The Responses API's stream_options has include_obfuscation alone (StreamOptionsRule); the usage always comes
        // with the last event.
        if (request.StreamOptions?.IncludeUsage is not null)
        {
            throw OpenAIException.UnknownParameter("stream_options.include_usage");
        }
    }

    private static bool IsSet(JsonElement? value) => value is { ValueKind: not JsonValueKind.Null };
}
