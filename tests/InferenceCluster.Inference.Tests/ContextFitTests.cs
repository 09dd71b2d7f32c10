using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// A max_tokens the server chose (<see cref="GenerationConfig.FitMaxTokensToContext"/>) is a ceiling: a prompt that
/// leaves less room gets a shorter answer, not a 400 about a parameter the client never sent. A client's own
/// max_tokens is still rejected, and so is a prompt that alone fills the context or a client's min_tokens beyond the
/// room; a min_tokens the server chose (<see cref="GenerationConfig.FitMinTokensToContext"/>) is lowered with max_tokens.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ContextFitTests(EngineFixture engines)
{
    /// <summary>Tokens the long prompt leaves free: few, so the answer reaches the end of the context quickly.</summary>
    private const int Room = 12;

    [Theory]
    [InlineData("dynamic", false)]
    [InlineData("static", false)]
    [InlineData("dynamic", true)]
    public async Task GenerateAsync_ServerChosenMaxTokensOverContext_GeneratesUpToTheContext(string layout, bool classic)
    {
        var engine = engines.For(layout);
        var config = Fitted(engine.Model.ContextLength) with { Logprobs = classic };

        var result = await Run.CollectAsync(engine, Run.Request(config, LongPrompt(engine)));

        var usage = result.Completed.Usage;
        Assert.Contains(result.Completed.FinishReason, new[] { GenerationFinishReason.Length, GenerationFinishReason.Stop });
        Assert.True(usage.PromptTokens + usage.CompletionTokens <= engine.Model.ContextLength, $"{usage} overruns the context");
        Assert.Equal(result.Tokens.Count, usage.CompletionTokens);
        if (result.Completed.FinishReason == GenerationFinishReason.Length)
        {
            Assert.Equal(engine.Model.ContextLength, usage.PromptTokens + usage.CompletionTokens);
        }
    }

    [Fact]
    public async Task GenerateAsync_ServerChosenMaxTokensThatFits_Unchanged()
    {
        var result = await Run.CollectAsync(engines.Dynamic, Run.Greedy(maxTokens: 7) with { FitMaxTokensToContext = true });

        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(7, result.Completed.Usage.CompletionTokens);
    }

    [Fact]
    public async Task GenerateAsync_ServerChosenMaxTokensAtIntMax_FitsTheContext()
    {
        var engine = engines.Dynamic;

        var result = await Run.CollectAsync(engine, Run.Request(Fitted(int.MaxValue), LongPrompt(engine)));

        var usage = result.Completed.Usage;
        Assert.True(usage.PromptTokens + usage.CompletionTokens <= engine.Model.ContextLength, $"{usage} overruns the context");
    }

    [Fact]
    public void GenerateAsync_ClientMaxTokensOverContext_StillRejectedNamingMaxTokens()
    {
        var engine = engines.Dynamic;

        var error = Assert.Throws<GenerationRejectedException>(() =>
            engine.GenerateAsync(Run.Request(Run.Greedy(maxTokens: engine.Model.ContextLength), LongPrompt(engine))));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("max_tokens", error.Param);
        Assert.Equal(0, engine.InFlight);
    }

    [Fact]
    public void GenerateAsync_MinTokensBeyondTheRoom_RejectedNamingMinTokens()
    {
        var engine = engines.Dynamic;
        var config = Fitted(engine.Model.ContextLength) with { MinTokens = engine.Model.ContextLength - 1 };

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(config, LongPrompt(engine))));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("min_tokens", error.Param);
        Assert.Contains("min_tokens", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engine.InFlight);
    }

    [Theory]
    [InlineData("dynamic", false)]
    [InlineData("static", false)]
    [InlineData("dynamic", true)]
    public async Task GenerateAsync_ServerChosenMinTokensBeyondTheRoom_LoweredToTheAppliedMaxTokens(string layout, bool classic)
    {
        var engine = engines.For(layout);
        var config = Fitted(engine.Model.ContextLength) with
        {
            MinTokens = engine.Model.ContextLength - 1, FitMinTokensToContext = true, Logprobs = classic,
        };

        var result = await Run.CollectAsync(engine, Run.Request(config, LongPrompt(engine)));

        // The floor became the room itself, so nothing could end the answer before the end of the context.
        var usage = result.Completed.Usage;
        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(engine.Model.ContextLength, usage.PromptTokens + usage.CompletionTokens);
        Assert.Equal(usage.CompletionTokens, result.Completed.MaxTokens);
        Assert.Equal(usage.CompletionTokens, result.Completed.MinTokens);
        Assert.Equal(0, engine.InFlight);
    }

    [Fact]
    public void GenerateAsync_PromptAloneFillsTheContext_RejectedNamingThePrompt()
    {
        var engine = engines.Dynamic;
        var prompt = string.Join(' ', Enumerable.Repeat("token", engine.Model.ContextLength + 10));

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(Fitted(engine.Model.ContextLength), prompt)));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("prompt", error.Param);
    }

    /// <summary>A greedy config whose max_tokens the server chose.</summary>
    internal static GenerationConfig Fitted(int maxTokens) => Run.Greedy(maxTokens) with { FitMaxTokensToContext = true };

    /// <summary>A prompt that leaves at least <see cref="Room"/> tokens of the engine's context, and few more.</summary>
    private string LongPrompt(IInferenceEngine engine)
    {
        var encoder = ((GenAiInferenceEngine)engines.Dynamic).Encoder;
        string Words(int count) => string.Join(' ', Enumerable.Repeat("token", count));
        var words = (engine.Model.ContextLength - Room) * 100 / encoder.Encode(Words(100)).Length;
        while (encoder.Encode(Words(words)).Length > engine.Model.ContextLength - Room)
        {
            words--;
        }

        return Words(words);
    }
}
