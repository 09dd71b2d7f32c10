using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests.Simulation;

/// <summary>What the simulated accelerator honours: determinism, max/min tokens, stops, rejections, cancellation.</summary>
public sealed class SimulatedInferenceEngineTests
{
    [Fact]
    public async Task GenerateAsync_SameSeedAndPrompt_SameTokens()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());

        var first = await Run.CollectAsync(engine, Run.Sampled(0.7, 0.9, 0, seed: 42, maxTokens: 32));
        var again = await Run.CollectAsync(engine, Run.Sampled(0.7, 0.9, 0, seed: 42, maxTokens: 32));
        var other = await Run.CollectAsync(engine, Run.Sampled(0.7, 0.9, 0, seed: 43, maxTokens: 32));

        Assert.Equal(32, first.Tokens.Count);
        Assert.Equal(first.TokenIds, again.TokenIds);
        Assert.NotEqual(first.TokenIds, other.TokenIds);
    }

    [Fact]
    public async Task GenerateAsync_Greedy_SameTextForTheSamePromptOnly()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());

        var first = await Run.CollectAsync(engine, Run.Request(Run.Greedy(16), "one prompt"));
        var again = await Run.CollectAsync(engine, Run.Request(Run.Greedy(16), "one prompt"));
        var other = await Run.CollectAsync(engine, Run.Request(Run.Greedy(16), "another prompt"));

        Assert.Equal(first.Text, again.Text);
        Assert.NotEqual(first.Text, other.Text);
        Assert.NotEmpty(first.Text);
    }

    [Fact]
    public async Task GenerateAsync_MaxTokens_EndsWithLengthAfterExactlyThatMany()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());

        var result = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 7));

        Assert.Equal(7, result.Tokens.Count);
        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(7, result.Completed.Usage.CompletionTokens);
        Assert.IsType<PrefillCompleted>(result.Events[0]);
    }

    [Fact]
    public async Task GenerateAsync_CertainEndOfSequence_StopsRightAfterMinTokens()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick(endProbability: 1));

        var atMin = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 20) with { MinTokens = 5 });
        var noMin = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 20));

        Assert.Equal(5, atMin.Tokens.Count);
        Assert.Equal(GenerationFinishReason.Stop, atMin.Completed.FinishReason);
        Assert.Empty(noMin.Tokens);
        Assert.Equal(GenerationFinishReason.Stop, noMin.Completed.FinishReason);
    }

    [Fact]
    public async Task GenerateAsync_MaxTokensChanged_TokensArePrefixesOfEachOther()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());

        var shorter = await Run.CollectAsync(engine, Run.Sampled(1, 1, 0, seed: 7, maxTokens: 10));
        var longer = await Run.CollectAsync(engine, Run.Sampled(1, 1, 0, seed: 7, maxTokens: 30) with { MinTokens = 12 });

        Assert.Equal(shorter.TokenIds, longer.TokenIds.Take(10));
    }

    [Fact]
    public async Task GenerateAsync_StopString_TextEndsBeforeItAndReasonIsStop()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());
        var free = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 40));
        var stop = free.Text.Substring(free.Text.Length / 2, 3);
        var expected = free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)];

        var stopped = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 40) with { Stop = [stop] });

        Assert.Equal(expected, stopped.Text);
        Assert.Equal(GenerationFinishReason.Stop, stopped.Completed.FinishReason);
        Assert.True(stopped.Completed.Usage.CompletionTokens < 40);
    }

    [Theory]
    [InlineData("logprobs")]
    [InlineData("response_format")]
    public async Task GenerateAsync_WhatTheSimulationCannotHonour_RejectedNamingTheParameter(string param)
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());
        var config = param == "logprobs"
            ? Run.Greedy() with { Logprobs = true }
            : Run.Greedy() with { Guidance = new GenerationGuidance("json_schema", "{}") };

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(config)));

        Assert.Equal(param, error.Param);
    }

    [Fact]
    public async Task GenerateAsync_MoreThanAllKvBlocks_RejectedNamingTheSetting()
    {
        var simulation = SimulatedEngine.Quick();
        simulation.KvBlocks = 2;
        await using var engine = SimulatedEngine.Load(simulation);

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(Run.Greedy(maxTokens: 100))));

        Assert.Equal("max_tokens", error.Param);
        Assert.Contains("Inference:Simulation:KvBlocks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ServerChosenMaxTokensBeyondKvBlocks_LoweredToWhatTheDeviceHolds()
    {
        var simulation = SimulatedEngine.Quick();
        simulation.KvBlocks = 2;
        await using var engine = SimulatedEngine.Load(simulation);

        var result = await Run.CollectAsync(engine, Run.Request(ContextFitTests.Fitted(100), "short"));

        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(2 * simulation.KvBlockSize, result.Completed.Usage.PromptTokens + result.Completed.Usage.CompletionTokens);
        Assert.Equal(result.Completed.Usage.CompletionTokens, result.Completed.MaxTokens);
    }

    [Fact]
    public async Task GenerateAsync_ServerChosenMaxTokensWithMinTokensBeyondKvBlocks_RejectedNamingMinTokens()
    {
        var simulation = SimulatedEngine.Quick();
        simulation.KvBlocks = 2;
        await using var engine = SimulatedEngine.Load(simulation);
        var config = ContextFitTests.Fitted(100) with { MinTokens = 2 * simulation.KvBlockSize };

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(config, "short")));

        // The client never sent max_tokens: the limit that cannot fit is min_tokens.
        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("min_tokens", error.Param);
        Assert.Contains("Inference:Simulation:KvBlocks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ServerChosenMinTokensBeyondKvBlocks_LoweredWithMaxTokens()
    {
        // The model would end every turn at once: only the floor, lowered to the room and not dropped, keeps it going.
        var simulation = SimulatedEngine.Quick(endProbability: 1);
        simulation.KvBlocks = 2;
        await using var engine = SimulatedEngine.Load(simulation);
        var config = ContextFitTests.Fitted(100) with { MinTokens = 2 * simulation.KvBlockSize, FitMinTokensToContext = true };

        var result = await Run.CollectAsync(engine, Run.Request(config, "short"));

        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(2 * simulation.KvBlockSize, result.Completed.Usage.PromptTokens + result.Completed.Usage.CompletionTokens);
        Assert.Equal(result.Completed.Usage.CompletionTokens, result.Completed.MaxTokens);
        Assert.Equal(result.Completed.Usage.CompletionTokens, result.Completed.MinTokens);
    }

    [Fact]
    public async Task GenerateAsync_PromptAloneBeyondKvBlocks_RejectedNamingTheInput()
    {
        var simulation = SimulatedEngine.Quick();
        simulation.KvBlocks = 1;
        await using var engine = SimulatedEngine.Load(simulation);
        var prompt = string.Join(' ', Enumerable.Repeat("token", 4 * simulation.KvBlockSize));

        var error = Assert.Throws<GenerationRejectedException>(() => engine.GenerateAsync(Run.Request(ContextFitTests.Fitted(100), prompt)));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("prompt", error.Param);
    }

    [Fact]
    public async Task GenerateAsync_ServerChosenMaxTokensBeyondContext_EndsAtTheContextLikeTheRealEngine()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());

        var result = await Run.CollectAsync(engine, ContextFitTests.Fitted(engine.Model.ContextLength));

        Assert.Equal(GenerationFinishReason.Length, result.Completed.FinishReason);
        Assert.Equal(engine.Model.ContextLength, result.Completed.Usage.PromptTokens + result.Completed.Usage.CompletionTokens);
    }

    [Fact]
    public async Task GenerateAsync_PromptBeyondContext_RejectedLikeTheRealEngine()
    {
        await using var engine = SimulatedEngine.Load(SimulatedEngine.Quick());

        var error = Assert.Throws<GenerationRejectedException>(() =>
            engine.GenerateAsync(Run.Request(Run.Greedy(maxTokens: engine.Model.ContextLength))));

        Assert.Equal("context_length_exceeded", error.Code);
    }

    [Fact]
    public async Task GenerateAsync_CancelledWhileRunning_EndsCancelledAndFreesItsPermit()
    {
        var slow = SimulatedEngine.Quick();
        slow.DecodeBaseMilliseconds = 5;
        await using var engine = SimulatedEngine.Load(slow, capacity: 1);
        using var cts = new CancellationTokenSource();
        var events = new List<GenerationEvent>();

        await foreach (var e in engine.GenerateAsync(Run.Request(Run.Greedy(maxTokens: 1000)), cts.Token))
        {
            events.Add(e);
            if (e is TokenGenerated)
            {
                await cts.CancelAsync();
            }
        }

        Assert.Equal(GenerationFinishReason.Cancelled, Assert.IsType<GenerationCompleted>(events[^1]).FinishReason);
        Assert.Equal(0, engine.InFlight);
        var next = await Run.CollectAsync(engine, Run.Greedy(maxTokens: 2)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(GenerationFinishReason.Length, next.Completed.FinishReason);
    }
}
