using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

/// <summary>
/// Stop strings beyond what the engine takes (16 KiB of UTF-8 together) are refused at the edge, before the answer's
/// headers echo them: a 400 a client can read, rather than one whose headers are larger than HTTP clients read.
/// </summary>
public sealed class RequestValidatorStopTests
{
    private static ValidatedRequest Validate(object stop) =>
        RequestValidator.Chat(JsonSerializer.SerializeToElement(new
        {
            model = "m",
            messages = new[] { new { role = "user", content = "Hi" } },
            stop,
        }));

    public static TheoryData<object> OverTheEngineBytes => new()
    {
        new string('x', SamplingSettings.MaxStopBytes + 1),
        new[] { new string('x', 8192), new string('\u00e9', 4097) },
        new[] { "a", "b", "c", new string('x', SamplingSettings.MaxStopBytes) },
    };

    [Theory]
    [MemberData(nameof(OverTheEngineBytes))]
    public void Validate_StopsOverTheEngineBytes_400NamingStop(object stop)
    {
        var error = Assert.Throws<OpenAIException>(() => Validate(stop));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("stop", error.Param);
        Assert.Equal("invalid_value", error.Code);
        Assert.Contains($"at most {SamplingSettings.MaxStopBytes} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StopsOfExactlyTheEngineBytes_Accepted()
    {
        // 8192 bytes of ASCII and 4096 two-byte characters: 16384 bytes of UTF-8.
        string[] stop = [new string('x', 8192), new string('\u00e9', 4096)];

        Assert.Equal(stop, Validate(stop).Stop);
    }
}
