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
        "", "x", "user", "system", "assistant", "wizard", "text", "image_url", "\\u0000", "\\ud800", "\\udfff\\ud800", "\\u200b",
        "héllo wörld", "日本語", "🙂", "\\\"quoted\\\"", "\\n\\t", "too long",
    ];

    public static Arbitrary<JsonBody> Bodies() => Arb.From(Body());

    private static Gen<JsonBody> Body() => Gen.Frequency(
        (6, Gen.Sized(size => RequestLike(Math.Min(size, 30)))),
        (2, Gen.Sized(size => Value(Math.Min(size, 30), depth: 0)).Select(Utf8)),
        (1, Gen.Choose(1, 300).Select(depth => Utf8(new string('[', depth) + new string(']', depth)))),
        (1, Gen.Choose(1, 120).Select(depth => Utf8(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)))),
        (1, Gen.Sized(size => RequestLike(Math.Min(size, 30))).SelectMany(body => Gen.Choose(0, body.Bytes.Length).Select(at => InvalidUtf8(body, at)))),
        (1, Gen.Sized(size => RequestLike(Math.Min(size, 30))).SelectMany(body => Gen.Choose(0, body.Bytes.Length).Select(at => Truncate(body, at)))));

    /// <summary>An object that is mostly a valid request, with some members replaced or added at random.</summary>
    private static Gen<JsonBody> RequestLike(int size) =>
        from model in Gen.OneOf(Gen.Elements(Models).Select(Quote), Value(size / 2, depth: 1))
        from messages in Gen.OneOf(Gen.Constant("""[{"role":"user","content":"hi"}]"""), Messages(size), Value(size / 2, depth: 1))
        from extras in Gen.ListOf(Member(size), Math.Min(size, 8))
        from dropModel in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select Utf8("{" + string.Join(",", (dropModel ? [] : new[] { $"\"model\":{model}" }).Append($"\"messages\":{messages}").Concat(extras)) + "}");

    private static Gen<string> Messages(int size) =>
        from roles in Gen.ListOf(Gen.Elements("user", "system", "assistant", "wizard"), Math.Clamp(size / 4, 1, 5))
        from contents in Gen.ListOf(Gen.OneOf(Gen.Elements(Strings).Select(Quote), Value(size / 3, depth: 2)), roles.Count)
        select "[" + string.Join(",", roles.Zip(contents, (role, content) => $"{{\"role\":\"{role}\",\"content\":{content}}}")) + "]";

    private static Gen<string> Member(int size) =>
        from key in Gen.Frequency((4, Gen.Elements(KnownKeys)), (1, Gen.Elements(Strings)))
        from value in Value(size / 2, depth: 1)
        select $"{Quote(key)}:{value}";

    private static Gen<string> Value(int size, int depth)
    {
        var scalar = Gen.OneOf(
            Gen.Elements("null", "true", "false"),
            Gen.Elements(Numbers),
            Gen.Choose(-1000, 1000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Gen.Choose(0, 4000).Select(n => (n / 1000.0).ToString(CultureInfo.InvariantCulture)),
            Gen.Elements(Strings).Select(Quote));
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
