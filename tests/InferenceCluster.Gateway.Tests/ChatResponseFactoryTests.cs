using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class ChatResponseFactoryTests
{
    [Fact]
    public void Completion_WithLogprobs_UsesOpenAIShape()
    {
        var logprobs = new[] { new TokenLogprob("é", -0.25, [new TopLogprob("é", -0.25), new TopLogprob("e", -1.5)]) };

        var response = ChatResponseFactory.Completion(Guid.Empty, "m", 9, "é", FinishReason.Length, 4, 1, 2, logprobs);
        var json = JsonSerializer.Serialize(response, OpenAIJsonContext.Wire.ChatCompletionResponse);

        Assert.Equal(
            "{\"id\":\"chatcmpl-00000000000000000000000000000000\",\"object\":\"chat.completion\",\"created\":9,\"model\":\"m\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"é\"},"
            + "\"logprobs\":{\"content\":[{\"token\":\"é\",\"logprob\":-0.25,\"bytes\":[195,169],"
            + "\"top_logprobs\":[{\"token\":\"é\",\"logprob\":-0.25,\"bytes\":[195,169]},{\"token\":\"e\",\"logprob\":-1.5,\"bytes\":[101]}]}]},"
            + "\"finish_reason\":\"length\"}],"
            + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1,\"total_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":2}}}",
            json);
    }

    [Fact]
    public void ErrorResponse_SerialisesAllFourFields()
    {
        var json = JsonSerializer.Serialize(OpenAIException.ModelNotFound("x").ToResponse(), OpenAIJsonContext.Wire.ErrorResponse);

        Assert.Equal("{\"error\":{\"message\":\"The model 'x' does not exist or is not served here.\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}", json);
    }
}
