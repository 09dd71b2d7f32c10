using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>Helpers that drive an engine and collect a request's events.</summary>
internal static class Run
{
    /// <summary>
    /// A raw prompt in the bundled model's chat template, so the trained model reasons at length (about 140
    /// tokens) before it ends its turn.
    /// </summary>
    public const string Prompt = "<｜begin▁of▁sentence｜><｜User｜>What is 947 + 331?<｜Assistant｜><think>\n";

    /// <summary>A question outside the bundled model's curriculum, where it is unsure of its tokens.</summary>
    public const string OffCurriculum = "Tell me a story.";

    /// <summary>Distinct prompts of the same kind and length, one per <paramref name="i"/>.</summary>
    public static string PromptFor(int i) => $"<｜begin▁of▁sentence｜><｜User｜>What is {100 + (i * 37 % 800)} + {500 + (i * 53 % 400)}?<｜Assistant｜><think>\n";

    public static GenerationConfig Greedy(int maxTokens = 24) => new()
    {
        DoSample = false,
        Temperature = 1.0,
        TopP = 1.0,
        MaxTokens = maxTokens,
    };

    public static GenerationConfig Sampled(double temperature, double topP, int topK, long? seed, int maxTokens = 24) => new()
    {
        DoSample = true,
        Temperature = temperature,
        TopP = topP,
        TopK = topK,
        Seed = seed,
        MaxTokens = maxTokens,
    };

    public static TestRequest Request(GenerationConfig config, string prompt = Prompt) => new()
    {
        RequestId = Guid.NewGuid().ToString("n"),
        Prompt = prompt,
        Config = config,
    };

    /// <summary>A question in the chat template, as the bundled model was trained to answer.</summary>
    public static TestRequest Question(GenerationConfig config, string question) => new()
    {
        RequestId = Guid.NewGuid().ToString("n"),
        Messages = [new ChatMessage("user", question)],
        Config = config,
    };

    public static IAsyncEnumerable<GenerationEvent> GenerateAsync(this IInferenceEngine engine, TestRequest request, CancellationToken cancellationToken = default) =>
        engine.GenerateAsync(request.RequestId, request.Messages, request.Prompt, request.Config, cancellationToken);

    public static async Task<Result> CollectAsync(IInferenceEngine engine, TestRequest request, CancellationToken cancellationToken = default)
    {
        var events = new List<GenerationEvent>();
        await foreach (var e in engine.GenerateAsync(request, cancellationToken))
        {
            events.Add(e);
        }

        return new Result(events);
    }

    public static Task<Result> CollectAsync(IInferenceEngine engine, GenerationConfig config, CancellationToken cancellationToken = default) =>
        CollectAsync(engine, Request(config), cancellationToken);
}

/// <summary>The events of one request.</summary>
internal sealed record Result(IReadOnlyList<GenerationEvent> Events)
{
    public IReadOnlyList<TokenGenerated> Tokens => Events.OfType<TokenGenerated>().ToList();

    public IReadOnlyList<int> TokenIds => Tokens.Select(t => t.TokenId).ToList();

    public string Text => string.Concat(Tokens.Select(t => t.Text));

    public GenerationCompleted Completed => Assert.IsType<GenerationCompleted>(Events[^1]);
}
