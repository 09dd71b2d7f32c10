namespace InferenceCluster.Inference.Tests;

/// <summary>Sampling settings reach the sampler of every path.</summary>
[Collection(EngineCollection.Name)]
public sealed class SamplingTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_SampledWithTopKOne_SameAsGreedy(string layout)
    {
        var engine = engines.For(layout);
        var greedy = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 24));

        var topOne = await Run.CollectAsync(engine, Run.Sampled(0.7, 0.9, 1, seed: null, maxTokens: 24));

        Assert.Equal(greedy.TokenIds, topOne.TokenIds);
    }

    [Theory]
    [InlineData("dynamic", false)]
    [InlineData("static", false)]
    [InlineData("static", true)]
    public async Task GenerateAsync_NoRepeatNgramSize_NoBigramRepeats(string layout, bool viaClassicPath)
    {
        var engine = engines.For(layout);
        // min_tokens: the trained model may end its answer early; the check needs a long output.
        var config = Run.Greedy(maxTokens: 64) with { MinTokens = 64, NoRepeatNgramSize = 2, Logprobs = viaClassicPath };
        var plain = await Run.CollectAsync(engine, config with { NoRepeatNgramSize = 0 });

        var result = await Run.CollectAsync(engine, config);

        // The tiny model loops without the setting, so the check can fail when the setting is dropped.
        Assert.True(Bigrams(plain.TokenIds).Count < plain.Tokens.Count - 1, "expected the unconstrained output to repeat a bigram");
        Assert.Equal(64, result.Tokens.Count);
        Assert.Equal(result.Tokens.Count - 1, Bigrams(result.TokenIds).Count);
    }

    [Theory]
    [InlineData("dynamic", false)]
    [InlineData("static", false)]
    [InlineData("static", true)]
    public async Task GenerateAsync_RepetitionPenalty_FewerRepeatedTokens(string layout, bool viaClassicPath)
    {
        var engine = engines.For(layout);
        // A question outside the curriculum: on its own questions the trained model is so sure of every token
        // that even the largest penalty the API allows (2) changes none of them.
        var config = Run.Greedy(maxTokens: 64) with { MinTokens = 64, Logprobs = viaClassicPath };
        var plain = await Run.CollectAsync(engine, Run.Question(config, Run.OffCurriculum));

        var penalised = await Run.CollectAsync(engine, Run.Question(config with { RepetitionPenalty = 2.0 }, Run.OffCurriculum));

        Assert.Equal(64, penalised.Tokens.Count);
        Assert.True(penalised.TokenIds.Distinct().Count() > plain.TokenIds.Distinct().Count(),
            $"distinct tokens: penalised {penalised.TokenIds.Distinct().Count()}, plain {plain.TokenIds.Distinct().Count()}");
    }

    private static HashSet<(int, int)> Bigrams(IReadOnlyList<int> tokens) =>
        tokens.Zip(tokens.Skip(1)).ToHashSet();
}
