namespace InferenceCluster.Inference.Tests;

/// <summary>Stop strings end the turn and their text is never returned, on every path.</summary>
[Collection(EngineCollection.Name)]
public sealed class StopStringTests(EngineFixture engines)
{
    /// <summary>A stop string taken from the middle of real output, so the model will produce it.</summary>
    internal static string PickStop(string text)
    {
        Assert.True(text.Length >= 8, $"model output too short to pick a stop string: '{text}'");
        var start = text.Length / 2;
        return text.Substring(start, Math.Min(4, text.Length - start));
    }

    [Theory]
    [InlineData("dynamic", false)]
    [InlineData("static", false)]
    [InlineData("dynamic", true)]
    [InlineData("static", true)]
    public async Task GenerateAsync_WithStop_ReturnsTextBeforeStopOnly(string layout, bool viaClassicPath)
    {
        var engine = engines.For(layout);
        var config = Run.Greedy(maxTokens: 32) with { Logprobs = viaClassicPath };
        var full = await Run.CollectAsync(engine, config);
        var stop = PickStop(full.Text);
        var expected = full.Text[..full.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await Run.CollectAsync(engine, config with { Stop = ["\u0001never", stop] });

        Assert.Equal(GenerationFinishReason.Stop, stopped.Completed.FinishReason);
        Assert.Equal(expected, stopped.Text);
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
        Assert.Equal(0, engine.InFlight);
    }
}
