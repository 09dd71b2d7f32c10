using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;

namespace InferenceCluster.Inference.Tests;

/// <summary>Streamed text is whole UTF-8 characters, even when a character spans tokens.</summary>
[Collection(EngineCollection.Name)]
public sealed class DecodingTests(EngineFixture engines)
{
    private const string MultiByte = "Grüße, 你好世界 🙂🚀 ünïcödé";

    [Fact]
    public void TokenizerStream_CharactersSpanningTokens_ArriveWhole()
    {
        var encoder = ((GenAiInferenceEngine)engines.Dynamic).Encoder;
        var ids = encoder.Encode(MultiByte);
        using var stream = encoder.CreateStream();

        var pieces = ids.Select(stream.Decode).ToList();

        Assert.Equal(MultiByte, string.Concat(pieces).TrimStart());
        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Contains(pieces, p => p.Length == 0);
    }

    [Fact]
    public async Task GenerateAsync_StreamedText_EqualsDecodedTokens()
    {
        var encoder = ((GenAiInferenceEngine)engines.Dynamic).Encoder;
        var result = await Run.CollectAsync(engines.Dynamic, Run.Request(Run.Sampled(1.2, 1.0, 0, seed: 7, maxTokens: 64), MultiByte));

        Assert.Equal(encoder.Decode([.. result.TokenIds]), result.Text);
    }

    [Fact]
    public async Task GenerateAsync_ChatMessages_RenderedWithModelTemplate()
    {
        var encoder = ((GenAiInferenceEngine)engines.Dynamic).Encoder;
        var rendered = encoder.RenderChat([new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi 🙂")]);

        Assert.Contains("Be brief.", rendered, StringComparison.Ordinal);
        Assert.Contains("<｜User｜>Hi 🙂", rendered, StringComparison.Ordinal);
        Assert.EndsWith("<｜Assistant｜><think>\n", rendered, StringComparison.Ordinal);

        var result = await Run.CollectAsync(engines.Dynamic, new TestRequest
        {
            RequestId = "chat",
            Messages = [new ChatMessage("user", "Hi 🙂")],
            Config = Run.Greedy(maxTokens: 4),
        });
        Assert.Equal(4, result.Tokens.Count);
    }

    [Fact]
    public void RenderChat_SeveralSystemMessages_EveryOneReachesThePromptInOrder()
    {
        // R1's template keeps only the last system message; a request's instructions and its own system or developer
        // messages must all reach the model, not the last alone.
        var encoder = ((GenAiInferenceEngine)engines.Dynamic).Encoder;

        var rendered = encoder.RenderChat(
        [
            new ChatMessage("system", "Answer in French."),
            new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "2+2?"),
            new ChatMessage("system", "Show your work."),
        ]);

        Assert.StartsWith("<｜begin▁of▁sentence｜>Answer in French.\n\nBe brief.\n\nShow your work.<｜User｜>2+2?", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderChat_EarlierAssistantReasoning_IsStrippedByTheTemplate()
    {
        var encoder = ((GenAiInferenceEngine)engines.Dynamic).Encoder;

        var rendered = encoder.RenderChat(
        [
            new ChatMessage("user", "2+2?"),
            new ChatMessage("assistant", "<think>\nsecret chain of thought\n</think>\n\nIt is 4."),
            new ChatMessage("user", "And 3+3?"),
        ]);

        Assert.DoesNotContain("secret chain of thought", rendered, StringComparison.Ordinal);
        Assert.Contains("It is 4.", rendered, StringComparison.Ordinal);
    }
}
