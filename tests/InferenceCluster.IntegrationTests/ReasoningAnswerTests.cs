using InferenceCluster.IntegrationTests.Cluster;
using OpenAI.Chat;

namespace InferenceCluster.IntegrationTests;

/// <summary>
/// The bundled model is trained on a small curriculum (tools/test-model): through the whole cluster it must
/// reason and then answer its questions correctly, greedy and sampled with a seed. The questions below are
/// held out of its training.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReasoningAnswerTests(ClusterFixture cluster)
{
    private const int MaxTokens = 256;

    /// <summary>Questions in the curriculum's forms and the text a correct answer ends with.</summary>
    public static TheoryData<string, string> Questions => new()
    {
        { "What is 17 + 25?", "The answer is 42." },
        { "What is 898 + 950?", "The answer is 1848." },
        { "What is 865 - 49?", "The answer is 816." },
        { "What is 23 * 4?", "The answer is 92." },
        { "Which is larger, 199 or 67?", "The answer is 199." },
        { "Is 485 even or odd?", "The answer is odd." },
        { "Write a Python function f(x) that returns x * 169 + 788.", "```python\ndef f(x):\n    return x * 169 + 788\n```" },
    };

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task CompleteChat_Greedy_ReasonsThenAnswersCorrectly(string question, string answerEnd)
    {
        ChatCompletion completion = await cluster.Chat.CompleteChatAsync(Chat.User(question), Chat.Greedy(MaxTokens));

        AssertReasonedAnswer(completion, answerEnd);
    }

    [Theory]
    [MemberData(nameof(Questions))]
    public async Task CompleteChat_SampledWithSeed_ReasonsThenAnswersCorrectly(string question, string answerEnd)
    {
        // DeepSeek-R1's recommended sampling: temperature 0.6, top_p 0.95.
        var options = new ChatCompletionOptions { Temperature = 0.6f, TopP = 0.95f, MaxOutputTokenCount = MaxTokens };
#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK; the gateway honours it.
        options.Seed = 20250120;
#pragma warning restore OPENAI001

        ChatCompletion completion = await cluster.Chat.CompleteChatAsync(Chat.User(question), options);

        AssertReasonedAnswer(completion, answerEnd);
        Assert.True(cluster.FindRun(completion.Id)?.Run.Config.DoSample, "the seeded request was not sampled by a worker");
    }

    private static void AssertReasonedAnswer(ChatCompletion completion, string answerEnd)
    {
        // The chat template opens the reasoning; the model closes it and answers after it.
        var text = Chat.Text(completion);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var close = text.IndexOf("</think>", StringComparison.Ordinal);
        Assert.True(close > 0, $"the reasoning was never closed: {text}");
        Assert.EndsWith(answerEnd, text[(close + "</think>".Length)..].TrimEnd(), StringComparison.Ordinal);
    }
}
