using System.Text;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Responses;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// <c>safety_identifier</c>, OpenAI's replacement for <c>user</c>, as current SDKs send it: accepted wherever <c>user</c> is
/// (chat, legacy completions, <c>/v1/responses</c>), at most 64 characters, the end user's id over <c>user</c>, and echoed
/// by a response as OpenAI echoes it.
/// </summary>
public sealed class RequestValidatorSafetyIdentifierTests
{
    public static TheoryData<string> Endpoints => ["chat", "completions", "responses"];

    private static ValidatedRequest Validate(string endpoint, string members)
    {
        var body = endpoint switch
        {
            "chat" => $$"""{"model":"m","messages":[{"role":"user","content":"Hi"}]{{members}}}""",
            "completions" => $$"""{"model":"m","prompt":"Hi"{{members}}}""",
            _ => $$"""{"model":"m","input":"Hi"{{members}}}""",
        };
        var json = JsonDocument.Parse(body).RootElement;
        return endpoint switch
        {
            "chat" => RequestValidator.Chat(json),
            "completions" => RequestValidator.TextCompletion(json),
            _ => ResponsesRequestValidator.Validate(json).Request,
        };
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void SafetyIdentifier_OfSixtyFourCharacters_AcceptedAsTheEndUser(string endpoint)
    {
        var id = new string('a', 64);

        var request = Validate(endpoint, $$""","safety_identifier":"{{id}}" """);

        Assert.Equal(id, request.SafetyIdentifier);
        Assert.Equal(id, request.EndUserId);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void SafetyIdentifier_OfSixtyFourEmoji_AcceptedCountingCharactersNotUtf16Units(string endpoint)
    {
        var id = string.Concat(Enumerable.Repeat("\U0001F600", 64));

        var request = Validate(endpoint, $$""","safety_identifier":"{{id}}" """);

        Assert.Equal(id, request.SafetyIdentifier);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void SafetyIdentifier_Of65Emoji_RejectedCountingCharacters(string endpoint)
    {
        var id = string.Concat(Enumerable.Repeat("\U0001F600", 65));

        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, $$""","safety_identifier":"{{id}}" """));

        Assert.Equal("safety_identifier", error.Param);
        Assert.Equal("'safety_identifier' may be at most 64 characters; got 65.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void SafetyIdentifier_WithUser_WinsAsTheEndUser(string endpoint)
    {
        var request = Validate(endpoint, ""","user":"u-1","safety_identifier":"h-1" """);

        Assert.Equal("u-1", request.User);
        Assert.Equal("h-1", request.EndUserId);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void SafetyIdentifier_Of65Characters_RejectedSayingTheLimit(string endpoint)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, $$""","safety_identifier":"{{new string('a', 65)}}" """));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("safety_identifier", error.Param);
        Assert.Equal("'safety_identifier' may be at most 64 characters; got 65.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void SafetyIdentifier_NotAString_RejectedNamingIt(string endpoint)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, ""","safety_identifier":7"""));

        Assert.Equal("safety_identifier", error.Param);
        Assert.Equal("invalid_type", error.Code);
    }

    [Theory]
    [InlineData(""","safety_identifier":"h-1" """, "h-1")]
    [InlineData("", null)]
    public async Task Responses_CreatedEvent_EchoesSafetyIdentifierOrNull(string members, string? expected)
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        var request = new ValidatedResponsesRequest
        {
            Request = Validate("responses", members) with { Stream = true, IncludeUsage = true },
        };
        var wire = new ResponsesWire(request, new GenerationConfig { DoSample = false, Temperature = 0, TopP = 1, MaxTokens = 8 });
        var exchange = new CompletionExchange(context, wire, "m", Guid.Empty, 9, null, IncludeUsage: true, Logprobs: false, SplitReasoning: false, MaxTokensParam: "max_output_tokens");

        await wire.WriteStartAsync(exchange, [0]);

        var created = Encoding.UTF8.GetString(body.ToArray()).Split("\n\n")
            .Select(block => block.Split('\n'))
            .First(lines => lines[0] == "event: response.created")[1]["data: ".Length..];
        var response = JsonDocument.Parse(created).RootElement.GetProperty("response");
        Assert.True(response.TryGetProperty("safety_identifier", out var echoed), created);
        Assert.Equal(expected, echoed.ValueKind == JsonValueKind.Null ? null : echoed.GetString());
    }
}
