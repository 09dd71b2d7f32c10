using System.Text.Json;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class DuplicateMemberCheckTests
{
    [Fact]
    public void ThrowIfAny_ShortName_MessageQuotesItWhole()
    {
        using var document = JsonDocument.Parse("""{"messages":[{"role":"user","role":"system"}]}""");

        var error = Assert.Throws<OpenAIException>(() => DuplicateMemberCheck.ThrowIfAny(document.RootElement));

        Assert.Equal("messages[0].role", error.Param);
        Assert.Equal("The request sets 'messages[0].role' more than once; send each parameter once.", error.Message);
    }

    [Fact]
    public void ThrowIfAny_LongNameWithControlCharacters_MessageCapsItAndEscapesThem()
    {
        var name = "a\nb\u0000c\u001b[2J\u2028" + new string('x', 10_000);
        var json = $$"""{"{{JsonEncodedText.Encode(name)}}":1,"{{JsonEncodedText.Encode(name)}}":2}""";
        using var document = JsonDocument.Parse(json);

        var error = Assert.Throws<OpenAIException>(() => DuplicateMemberCheck.ThrowIfAny(document.RootElement));

        Assert.Equal("duplicate_parameter", error.Code);
        Assert.Equal(name, error.Param);
        Assert.StartsWith(@"The request sets 'a\u000Ab\u0000c\u001B[2J\u2028xxx", error.Message, StringComparison.Ordinal);
        Assert.Contains("x…' more than once", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 150, error.Message);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }
}
