using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.Responses;

namespace InferenceCluster.Gateway.Tests;

public sealed class ChoiceJobTests
{
    private static GenerationConfig Config(long? seed, bool sample = true) => new()
    {
        DoSample = sample,
        Temperature = sample ? 0.7 : 0,
        TopP = 0.9,
        MaxTokens = 16,
        Seed = seed,
    };

    [Fact]
    public void For_SeededRequest_ChoiceJSamplesWithSeedPlusJ()
    {
        var jobs = ChoiceJob.For(0, null, "p", Config(100), 3).ToList();

        Assert.Equal([100L, 101L, 102L], jobs.Select(job => job.Config.Seed!.Value));
        Assert.Equal([0, 1, 2], jobs.Select(job => job.Index));
        Assert.Equal([true, false, false], jobs.Select(job => job.IsFirstOfPrompt));
    }

    [Fact]
    public void For_MaximumSeed_WrapsInsteadOfFailing()
    {
        var jobs = ChoiceJob.For(0, null, "p", Config(long.MaxValue), 2).ToList();

        Assert.Equal(long.MinValue, jobs[1].Config.Seed);
    }

    [Fact]
    public void For_UnseededOrGreedy_KeepsTheConfigOfEveryChoice()
    {
        var unseeded = ChoiceJob.For(4, null, "p", Config(null), 2).ToList();
        var greedy = ChoiceJob.For(0, null, "p", Config(null, sample: false), 2).ToList();

        Assert.All(unseeded, job => Assert.Null(job.Config.Seed));
        Assert.Equal([4, 5], unseeded.Select(job => job.Index));
        Assert.Equal([true, false], unseeded.Select(job => job.IsFirstOfPrompt));
        Assert.Equal(greedy[0].Config, greedy[1].Config);
    }

    [Fact]
    public void Sum_SeveralChoicesAndPrompts_PromptOncePerPromptCompletionSummed()
    {
        var first = ChoiceJob.For(0, null, "a", Config(1), 2).ToList();
        var second = ChoiceJob.For(2, null, "bb", Config(1), 2).ToList();
        var results = first.Concat(second)
            .Select((job, i) => new ChoiceResult(job, "t", FinishReason.Length, new CompletionUsage(i < first.Count ? 5 : 7, i + 1, 1), i, "rev", "w", null, false))
            .ToList();

        var usage = ChoiceUsage.Sum(results, reasoning: true, cachedTokens: true);

        Assert.Equal(12, usage.PromptTokens);
        Assert.Equal(1 + 2 + 3 + 4, usage.CompletionTokens);
        Assert.Equal(22, usage.TotalTokens);
        Assert.Equal(2, usage.PromptTokensDetails.CachedTokens);
        Assert.Equal(0 + 1 + 2 + 3, usage.CompletionTokensDetails!.ReasoningTokens);
        Assert.Null(ChoiceUsage.Sum(results, reasoning: false, cachedTokens: true).CompletionTokensDetails);
        Assert.Equal(0, ChoiceUsage.Sum(results, reasoning: true, cachedTokens: false).PromptTokensDetails.CachedTokens);
    }
}
