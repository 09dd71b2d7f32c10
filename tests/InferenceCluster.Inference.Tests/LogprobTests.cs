using InferenceCluster.Inference.Classic;
using InferenceCluster.Inference.Hosting;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace InferenceCluster.Inference.Tests;

/// <summary>Log-probabilities from the classic path are a real distribution over the vocabulary.</summary>
[Collection(EngineCollection.Name)]
public sealed class LogprobTests(EngineFixture engines)
{
    [Theory]
    [InlineData("dynamic")]
    [InlineData("static")]
    public async Task GenerateAsync_GreedyWithLogprobs_ChosenTokenIsTopAlternative(string layout)
    {
        var engine = engines.For(layout);
        var result = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 12) with { Logprobs = true, TopLogprobs = 5 });
        var plain = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 12));

        Assert.Equal(12, result.Tokens.Count);
        Assert.Equal(plain.TokenIds, result.TokenIds);
        foreach (var token in result.Tokens)
        {
            var logprob = Assert.IsType<Contracts.TokenLogprob>(token.Logprob);
            Assert.Equal(5, logprob.Top.Count);
            Assert.True(logprob.Logprob <= 0);
            Assert.Equal(logprob.Top[0].Logprob, logprob.Logprob, 6);
            Assert.Equal(logprob.Top.Select(t => t.Logprob).OrderDescending(), logprob.Top.Select(t => t.Logprob));
            Assert.True(logprob.Top.Sum(t => Math.Exp(t.Logprob)) <= 1.0 + 1e-6);
        }
    }

    [Fact]
    public async Task GenerateAsync_SampledWithLogprobs_ChosenTokenLogprobIsItsOwn()
    {
        var result = await Run.CollectAsync(engines.Dynamic, Run.Sampled(1.5, 1.0, 0, seed: 3, maxTokens: 16) with { Logprobs = true, TopLogprobs = 20 });

        Assert.Equal(16, result.Tokens.Count);
        foreach (var token in result.Tokens)
        {
            var logprob = token.Logprob!;
            Assert.True(logprob.Logprob <= logprob.Top[0].Logprob + 1e-9);
            var sameToken = logprob.Top.FirstOrDefault(t => t.Token == logprob.Token);
            if (sameToken is not null)
            {
                Assert.Equal(sameToken.Logprob, logprob.Logprob, 6);
            }
        }
    }

    [Fact]
    public void LogSoftmax_RealLogitsOverVocabulary_SumsToOne()
    {
        using var model = new Model(TestModel.StandardPath);
        using var parameters = new GeneratorParams(model);
        parameters.SetSearchOption("max_length", 64);
        using var generator = new Generator(model, parameters);
        using var tokenizer = new Tokenizer(model);
        using var sequences = tokenizer.Encode(Run.Prompt);
        generator.AppendTokens(sequences[0]);
        using var logits = generator.GetOutput("logits");
        var vocab = (int)logits.Shape()[^1];
        var row = logits.GetData<float>()[^vocab..];

        var normaliser = LogSoftmax.LogNormaliser(row);
        var total = 0.0;
        foreach (var value in row)
        {
            total += Math.Exp(value - normaliser);
        }

        Assert.Equal(1.0, total, 6);
        var top = LogSoftmax.Top(row, normaliser, 20);
        Assert.Equal(20, top.Count);
        Assert.Equal(top.Select(t => t.Logprob).OrderDescending(), top.Select(t => t.Logprob));
        Assert.Equal(row.ToArray().Max() - normaliser, top[0].Logprob, 6);
    }
}
