using System.ClientModel;
using System.Text.Json;
using OpenAI.Chat;

namespace InferenceCluster.Conformance.Tests;

/// <summary><c>response_format</c> json_schema / json_object through the SDK: guided decoding on the dynamic engine.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ResponseFormatConformanceTests(EmbeddedClusterFixture cluster)
{
    // The bundled model never saw JSON and, where the grammar allows whitespace, pads the object with it until the
    // token limit; llguidance's x-guidance option keeps the JSON compact, so the grammar leads it to the property.
    private const string Schema = """{"x-guidance":{"whitespace_flexible":false},"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}""";

    private ChatClient Chat => cluster.OpenAI.GetChatClient(EmbeddedClusterFixture.Model);

    /// <summary>
    /// The SDKs' parse helpers (<c>chat.completions.parse</c>, <c>responses.parse</c>) throw on an answer cut by its token
    /// limit. Guided JSON is compact: without that, the grammar lets a model put any whitespace between tokens, and the
    /// bundled model spends its whole limit on it.
    /// </summary>
    [Theory]
    [InlineData("What is 17 + 25?")]
    [InlineData("Give JSON")]
    public async Task CompleteChat_JsonSchemaGreedy_CompactJsonWellWithinTheLimit(string prompt)
    {
        var options = new ChatCompletionOptions
        {
            Temperature = 0f,
            MaxOutputTokenCount = 64,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(
                """{"type":"object","properties":{"answer":{"type":"integer"}},"required":["answer"],"additionalProperties":false}"""), jsonSchemaIsStrict: true),
        };

        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage(prompt)], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var text = completion.Content[0].Text;
        Assert.DoesNotContain(text, char.IsWhiteSpace);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("answer").ValueKind);
    }

    [Fact]
    public async Task CompleteChat_JsonSchema_ContentIsJsonMatchingTheSchema()
    {
        var options = new ChatCompletionOptions
        {
            Temperature = 0.8f,
            Seed = 21,
            MaxOutputTokenCount = 40,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(Schema), jsonSchemaIsStrict: true),
        };

        ChatCompletion completion = await Chat.CompleteChatAsync([new UserChatMessage("Is it ok?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        using var json = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Contains(json.RootElement.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Single(json.RootElement.EnumerateObject());
    }

    [Theory]
    [InlineData("/v1/chat/completions", "messages", ""","response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"objec"}}}""", "response_format")]
    [InlineData("/v1/responses", "input", ""","text":{"format":{"type":"json_schema","name":"a","schema":{"type":"objec"}}}""", "text.format")]
    public async Task AnyOperation_SchemaTheEngineCannotCompile_400NamingTheFormat(string path, string inputMember, string format, string param)
    {
        var input = inputMember == "messages" ? """[{"role":"user","content":"Is it ok?"}]""" : "\"Is it ok?\"";
        var body = $$"""{"model":"{{EmbeddedClusterFixture.Model}}","{{inputMember}}":{{input}}{{format}}}""";
        using var response = await cluster.Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_config", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task CompleteChatStreaming_JsonObject_StreamedContentIsAJsonObject()
    {
        var options = new ChatCompletionOptions
        {
            Temperature = 0.8f,
            Seed = 5,
            MaxOutputTokenCount = 60,
            ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
        };

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("Give JSON")], options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        if (finish == ChatFinishReason.Stop)
        {
            using var json = JsonDocument.Parse(text.ToString());
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        }
        else
        {
            // Cut off by max tokens: still the start of an object.
            Assert.StartsWith("{", text.ToString().TrimStart(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CompleteChat_JsonSchemaWithLogprobs_Rejected400NamingResponseFormat()
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 8,
            IncludeLogProbabilities = true,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(Schema)),
        };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat.CompleteChatAsync([new UserChatMessage("Hi")], options));

        Assert.Equal(400, error.Status);
        var body = JsonDocument.Parse(error.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("response_format", body.GetProperty("param").GetString());
    }
}
