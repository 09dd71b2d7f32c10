using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>Settings that cannot be honoured are rejected before any work, naming the parameter.</summary>
[Collection(EngineCollection.Name)]
public sealed class RejectionTests(EngineFixture engines)
{
    public static TheoryData<string, string> InvalidConfigs => new()
    {
        { "max_tokens", "max_tokens=0" },
        { "min_tokens", "min_tokens>max" },
        { "temperature", "temperature=3" },
        { "temperature", "sample at 0" },
        { "top_p", "top_p=0" },
        { "top_k", "top_k>vocab" },
        { "repetition_penalty", "repetition_penalty=0" },
        { "no_repeat_ngram_size", "no_repeat=-1" },
        { "stop", "empty stop" },
        { "stop", "17 stops" },
        { "top_logprobs", "top_logprobs=21" },
        { "top_logprobs", "top_logprobs without logprobs" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void GenerateAsync_InvalidConfig_RejectedNamingParam(string param, string which)
    {
        var config = Broken(which, engines.Dynamic.Model);

        var error = Assert.Throws<GenerationRejectedException>(() => engines.Dynamic.GenerateAsync(Run.Request(config)));

        Assert.Equal("invalid_config", error.Code);
        Assert.Equal(param, error.Param);
        Assert.Contains(param, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engines.Dynamic.InFlight);
    }

    [Fact]
    public void GenerateAsync_PromptPlusMaxTokensOverContext_RejectedNamingMaxTokens()
    {
        var config = Run.Greedy(maxTokens: engines.Dynamic.Model.ContextLength);

        var error = Assert.Throws<GenerationRejectedException>(() => engines.Dynamic.GenerateAsync(Run.Request(config)));

        Assert.Equal("context_length_exceeded", error.Code);
        Assert.Equal("max_tokens", error.Param);
    }

    [Fact]
    public void GenerateAsync_MaxTokensAtIntMax_RejectedAsOverContextNotWrappedAround()
    {
        // The prompt's length plus int.MaxValue wraps to a negative int; the sum must not pass as "fits".
        var config = Run.Greedy(maxTokens: int.MaxValue);

        var error = Assert.Throws<GenerationRejectedException>(() => engines.Dynamic.GenerateAsync(Run.Request(config)));

        Assert.Equal("context_length_exceeded", error.Code);
        Assert.Equal("max_tokens", error.Param);
        Assert.Equal(0, engines.Dynamic.InFlight);
    }

    [Fact]
    public void GenerateAsync_PromptAloneOverContext_RejectedNamingPrompt()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("token", engines.Dynamic.Model.ContextLength + 10));

        var error = Assert.Throws<GenerationRejectedException>(() => engines.Dynamic.GenerateAsync(Run.Request(Run.Greedy(), prompt)));

        Assert.Equal("context_length_exceeded", error.Code);
        Assert.Equal("prompt", error.Param);
    }

    [Fact]
    public void GenerateAsync_BothMessagesAndPrompt_Rejected()
    {
        var request = Run.Request(Run.Greedy()) with { Messages = [new ChatMessage("user", "hi")] };

        var error = Assert.Throws<GenerationRejectedException>(() => engines.Dynamic.GenerateAsync(request));

        Assert.Equal("messages", error.Param);
    }

    [Theory]
    [InlineData("dynamic", "logprobs")]
    [InlineData("static", "seed")]
    public async Task GenerateAsync_ClassicPathDisabled_RequestsNeedingItRejected(string layout, string param)
    {
        var options = EngineFixture.Options(layout == "dynamic" ? Hosting.TestModel.PagedPath : Hosting.TestModel.StandardPath, capacity: 2);
        options.EnableClassicPath = false;
        await using var engine = await Hosting.InferenceEngineFactory.LoadAsync(options);
        var config = param == "logprobs" ? Run.Greedy() with { Logprobs = true } : Run.Sampled(1, 1, 0, seed: 9);

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(config)));

        Assert.Equal(param, error.Param);
        Assert.Contains(param, error.Message, StringComparison.Ordinal);
    }

    private static GenerationConfig Broken(string which, ModelDescriptor model) => which switch
    {
        "max_tokens=0" => Run.Greedy() with { MaxTokens = 0 },
        "min_tokens>max" => Run.Greedy(maxTokens: 4) with { MinTokens = 5 },
        "temperature=3" => Run.Sampled(3, 1, 0, null),
        "sample at 0" => Run.Sampled(0, 1, 0, null),
        "top_p=0" => Run.Sampled(1, 0, 0, null),
        "top_k>vocab" => Run.Sampled(1, 1, 10_000_000, null),
        "repetition_penalty=0" => Run.Greedy() with { RepetitionPenalty = 0 },
        "no_repeat=-1" => Run.Greedy() with { NoRepeatNgramSize = -1 },
        "empty stop" => Run.Greedy() with { Stop = [""] },
        "17 stops" => Run.Greedy() with { Stop = Enumerable.Range(0, 17).Select(i => $"s{i}").ToList() },
        "top_logprobs=21" => Run.Greedy() with { Logprobs = true, TopLogprobs = 21 },
        "top_logprobs without logprobs" => Run.Greedy() with { TopLogprobs = 3 },
        _ => throw new ArgumentOutOfRangeException(nameof(which), which, model.Id),
    };
}
