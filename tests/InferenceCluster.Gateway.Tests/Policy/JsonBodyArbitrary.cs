using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>
/// Generates request bodies from plausible to hostile: objects with the request's own keys and random
/// ones holding values of random type, scalars and arrays at the top, deep nesting, huge and odd numbers,
/// lone surrogates and raw invalid UTF-8. Models never name one whose worker is gone (that is a 503 by design).
/// </summary>
public static class JsonBodyArbitrary
{
    private static readonly string[] KnownKeys =
    [
        "model", "messages", "temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens", "min_tokens",
        "repetition_penalty", "stop", "seed", "stream", "stream_options", "user", "logprobs", "top_logprobs",
        "role", "content", "type", "text", "include_usage",
    ];

    private static readonly string[] Models = ["fake-model", "fake-model:math", "fake-model:creative", "fake-model:nope", "no-such-model", ":math", "", "fake-model::"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "0.5", "2", "20", "21", "1024", "2147483647", "2147483648", "-2147483649", "9223372036854775808",
        "1e308", "1e400", "-1e400", "1E-400", "123456789012345678901234567890", "0.0000000000000000000001", "3.14159",
    ];

    private static readonly string[] Strings =
    [
        "", "x", "user", "system", "assistant", "wizard", "text", "image_url", "\\u0000", "\\u200b",
        "héllo wörld", "日本語", "🙂", "\\\"quoted\\\"", "\\n\\t", "too long",
    ];

    private static readonly string[] LoneSurrogates = ["\\ud800", "\\udfff\\ud800", "a\\udc00"];

    public static Arbitrary<JsonBody> Bodies() => Arb.From(Body());

    private static Gen<JsonBody> Body() => Gen.Frequency(
        (6, ValidRequest()),
        (16, Gen.Sized(size => RequestLike(Math.Min(size, 30)))),
        (2, Gen.Sized(size => Value(Math.Min(size, 30), depth: 0)).Select(Utf8)),
        (1, Gen.Choose(1, 300).Select(depth => Utf8(new string('[', depth) + new string(']', depth)))),
        (1, Gen.Choose(1, 120).Select(depth => Utf8(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)))),
        (1, Gen.Sized(size => RequestLike(Math.Min(size, 30))).SelectMany(body => Gen.Choose(0, body.Bytes.Length).Select(at => InvalidUtf8(body, at)))),
        (1, Gen.Sized(size => RequestLike(Math.Min(size, 30))).SelectMany(body => Gen.Choose(0, body.Bytes.Length).Select(at => Truncate(body, at)))));

    /// <summary>An object that is mostly a valid request, with some members replaced or added at random.</summary>
    private static Gen<JsonBody> RequestLike(int size) =>
        from model in Gen.Frequency((6, Gen.Elements(Models).Select(Quote)), (1, Value(size / 2, depth: 1)))
        from messages in Gen.Frequency((4, Gen.Constant("""[{"role":"user","content":"hi"}]""")), (2, Messages(size)), (1, Value(size / 2, depth: 1)))
        from count in Gen.Choose(0, Math.Clamp(size / 4, 0, 6))
        from extras in Gen.ListOf(Gen.Frequency((6, PlausibleMember()), (1, Member(size))), count)
        from dropModel in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select Utf8("{" + string.Join(",", (dropModel ? [] : new[] { $"\"model\":{model}" }).Append($"\"messages\":{messages}").Concat(extras)) + "}");

    /// <summary>A request within every rule, so that the 2xx path (JSON and SSE) is exercised too.</summary>
    private static Gen<JsonBody> ValidRequest() =>
        from model in Gen.Elements("fake-model", "fake-model:math", "fake-model:code-teaching", "fake-model:creative")
        from temperature in Gen.Choose(0, 200)
        from topP in Gen.Choose(1, 100)
        from maxTokens in Gen.Choose(1, 3000)
        from stream in Gen.Elements("true", "false")
        from content in Gen.Elements("hi", "日本語", "🙂 ok", "\\u200b", "line\\nbreak")
        select Utf8(FormattableString.Invariant(
            $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{content}\"}}],\"temperature\":{temperature / 100.0},\"top_p\":{topP / 100.0},\"max_tokens\":{maxTokens},\"stream\":{stream}}}"));

    /// <summary>A known parameter with a value of its own type, mostly in range: these requests mostly succeed.</summary>
    private static Gen<string> PlausibleMember() => Gen.OneOf(
        Gen.Choose(0, 250).Select(n => Pair("temperature", (n / 100.0).ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(0, 110).Select(n => Pair("top_p", (n / 100.0).ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(-2, 100).Select(n => Pair("top_k", n.ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(-1, 3000).Select(n => Pair("max_tokens", n.ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(-1, 20).Select(n => Pair("min_tokens", n.ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(0, 250).Select(n => Pair("repetition_penalty", (n / 100.0).ToString(CultureInfo.InvariantCulture))),
        Gen.Choose(-5, int.MaxValue).Select(n => Pair("seed", n.ToString(CultureInfo.InvariantCulture))),
        Gen.Elements("true", "false").Select(b => Pair("stream", b)),
        Gen.Elements("true", "false").Select(b => Pair("logprobs", b)),
        Gen.Elements("\"\"", "\"END\"", "[\"a\",\"b\"]", "[]").Select(stop => Pair("stop", stop)),
        Gen.Elements([.. Strings, .. LoneSurrogates]).Select(user => Pair("user", Quote(user))));

    private static string Pair(string key, string value) => $"{Quote(key)}:{value}";

    private static Gen<string> Messages(int size) =>
        from roles in Gen.ListOf(Gen.Frequency((6, Gen.Elements("user", "system", "assistant")), (1, Gen.Constant("wizard"))), Math.Clamp(size / 4, 1, 5))
        from contents in Gen.ListOf(Gen.Frequency((4, Gen.Elements(Strings).Select(Quote)), (1, Value(size / 3, depth: 2))), roles.Count)
        select "[" + string.Join(",", roles.Zip(contents, (role, content) => $"{{\"role\":\"{role}\",\"content\":{content}}}")) + "]";

    private static Gen<string> Member(int size) =>
        from key in Gen.Frequency((4, Gen.Elements(KnownKeys)), (1, Gen.Elements(Strings)))
        from value in Value(size / 2, depth: 1)
        select $"{Quote(key)}:{value}";

    private static Gen<string> Value(int size, int depth)
    {
        var scalar = Gen.Frequency(
            (40, Gen.Elements("null", "true", "false")),
            (40, Gen.Elements(Numbers)),
            (40, Gen.Choose(-1000, 1000).Select(n => n.ToString(CultureInfo.InvariantCulture))),
            (40, Gen.Choose(0, 4000).Select(n => (n / 1000.0).ToString(CultureInfo.InvariantCulture))),
            (40, Gen.Elements(Strings).Select(Quote)),
            (1, Gen.Elements(LoneSurrogates).Select(Quote)));
        if (size <= 1 || depth > 6)
        {
            return scalar;
        }

        var array = Gen.ListOf(Value(size / 3, depth + 1), Math.Min(size / 2, 6)).Select(items => "[" + string.Join(",", items) + "]");
        var obj = Gen.ListOf(Member(size / 3), Math.Min(size / 2, 6)).Select(members => "{" + string.Join(",", members) + "}");
        return Gen.Frequency((4, scalar), (1, array), (1, obj));
    }

    private static string Quote(string text) => "\"" + text + "\"";

    private static JsonBody Utf8(string json) => new(Encoding.UTF8.GetBytes(json));

    private static JsonBody InvalidUtf8(JsonBody body, int at) => new([.. body.Bytes[..at], 0xFF, 0xC3, 0x28, .. body.Bytes[at..]]);

    private static JsonBody Truncate(JsonBody body, int at) => new(body.Bytes[..at]);
}
