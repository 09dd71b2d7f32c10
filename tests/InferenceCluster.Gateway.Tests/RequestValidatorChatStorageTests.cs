using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// <c>store</c> and <c>metadata</c> on chat, as the OpenAI SDKs send them: nothing is stored here, so <c>store: false</c>
/// and metadata (which only a stored completion keeps) are accepted as they are on <c>/v1/responses</c>; <c>store: true</c> is refused by name.
/// </summary>
public sealed class RequestValidatorChatStorageTests
{
    private static ValidatedRequest Validate(string json) =>
        RequestValidator.Chat(JsonDocument.Parse(json).RootElement);

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"store":false}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"metadata":{"topic":"sums"}}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"store":null,"metadata":null}""")]
    public void Chat_StoreFalseOrMetadata_Accepted(string json)
    {
        var request = Validate(json);

        Assert.Equal("Hi", Assert.Single(request.Messages!).Content);
    }

    [Fact]
    public void Chat_StoreTrue_RejectedNamingStore()
    {
        var error = Assert.Throws<OpenAIException>(() => Validate("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"store":true}"""));

        Assert.Equal("store", error.Param);
        Assert.Equal("unsupported_parameter", error.Code);
        Assert.Equal(400, error.StatusCode);
    }

    [Fact]
    public void Chat_MetadataValueNotAString_RejectedNamingIt()
    {
        var error = Assert.Throws<OpenAIException>(() => Validate("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"metadata":{"topic":1}}"""));

        Assert.Equal("metadata.topic", error.Param);
        Assert.Equal("invalid_type", error.Code);
    }
}
