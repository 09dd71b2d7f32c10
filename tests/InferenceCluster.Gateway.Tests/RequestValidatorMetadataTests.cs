using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// OpenAI's limits on <c>metadata</c> (16 pairs, keys up to 64 characters, string values up to 512), held the same on
/// chat and on <c>/v1/responses</c>: within them it is accepted, past them a 400 naming <c>metadata</c> says the limit.
/// </summary>
public sealed class RequestValidatorMetadataTests
{
    public static TheoryData<string> Endpoints => ["chat", "responses"];

    private static IReadOnlyDictionary<string, string> Validate(string endpoint, string metadata)
    {
        if (endpoint == "chat")
        {
            RequestValidator.Chat(Parse($$"""{"model":"m","messages":[{"role":"user","content":"Hi"}],"metadata":{{metadata}}}"""));
            return JsonSerializer.Deserialize<Dictionary<string, string>>(metadata)!;
        }

        return ResponsesRequestValidator.Validate(Parse($$"""{"model":"m","input":"Hi","metadata":{{metadata}}}""")).Metadata;
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static string Pairs(int count, int keyLength = 1, int valueLength = 1) =>
        JsonSerializer.Serialize(Enumerable.Range(0, count).ToDictionary(
            i => $"k{i}".PadRight(Math.Max(keyLength, $"k{i}".Length), 'x'), _ => new string('v', valueLength)));

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_AtEveryLimit_Accepted(string endpoint)
    {
        var metadata = Validate(endpoint, Pairs(16, keyLength: 64, valueLength: 512));

        Assert.Equal(16, metadata.Count);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_EmojiAtEveryLimit_AcceptedCountingCharactersNotUtf16Units(string endpoint)
    {
        // OpenAI counts characters: 64 emoji are a 64-character key, though .NET's Length says 128.
        var metadata = Validate(endpoint, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            [string.Concat(Enumerable.Repeat("\U0001F600", 64))] = string.Concat(Enumerable.Repeat("\U0001D518", 512)),
        }));

        Assert.Single(metadata);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_ValueOf513Emoji_RejectedCountingCharacters(string endpoint)
    {
        var value = string.Concat(Enumerable.Repeat("\U0001F600", 513));

        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, JsonSerializer.Serialize(new Dictionary<string, string> { ["k"] = value })));

        Assert.Equal("metadata.k", error.Param);
        Assert.Equal("'metadata' values may be at most 512 characters; 'metadata.k' has 513.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_SeventeenPairs_RejectedSayingTheLimit(string endpoint)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, Pairs(17)));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("metadata", error.Param);
        Assert.Equal("'metadata' may hold at most 16 pairs; got 17.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_KeyOf65Characters_RejectedSayingTheLimit(string endpoint)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, Pairs(1, keyLength: 65)));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("metadata", error.Param);
        Assert.Contains("at most 64 characters", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_ValueOf513Characters_RejectedNamingTheKey(string endpoint)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, Pairs(1, valueLength: 513)));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal("metadata.k0", error.Param);
        Assert.Equal("'metadata' values may be at most 512 characters; 'metadata.k0' has 513.", error.Message);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void Metadata_NullValue_RejectedAsNotAString(string endpoint)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(endpoint, """{"topic":null}"""));

        Assert.Equal("metadata.topic", error.Param);
        Assert.Equal("invalid_type", error.Code);
    }
}
