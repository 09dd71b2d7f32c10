namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// Requests of a drill sent all at once, with a signal for the moment every streamed one has shown text: the
/// moment a fault hits answers mid-way.
/// </summary>
internal sealed class DrillLoad
{
    private readonly TaskCompletionSource _allStreaming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streaming;

    private DrillLoad(DrillGateway gateway, IReadOnlyList<DrillRequest> requests)
    {
        var streams = requests.Count(request => request.Stream);
        if (streams == 0)
        {
            _allStreaming.TrySetResult();
        }

        Answers = Task.WhenAll(requests.Select(request => gateway.AskAsync(request, answer =>
        {
            if (answer.Chunks == 1 && Interlocked.Increment(ref _streaming) == streams)
            {
                _allStreaming.TrySetResult();
            }
        })));
    }

    /// <summary>Every answer, in the order of the requests.</summary>
    public Task<DrillAnswer[]> Answers { get; }

    public static DrillLoad Start(DrillGateway gateway, IReadOnlyList<DrillRequest> requests) => new(gateway, requests);

    /// <summary>Waits until every streamed request has received text.</summary>
    public Task AllStreamingAsync() => _allStreaming.Task.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>Sends the requests on a healthy cluster and returns the answers every later run must equal.</summary>
    public static async Task<DrillAnswer[]> CleanRunAsync(DrillCluster cluster, DrillGateway gateway, IReadOnlyList<DrillRequest> requests)
    {
        var clean = await Task.WhenAll(requests.Select(request => gateway.AskAsync(request)));
        Assert.All(clean, answer => Assert.True(answer.Succeeded, $"clean run: {answer}\n{cluster.Output()}"));

        // Deterministic answers are cached; the drill's identical requests must reach the workers again.
        await cluster.ClearCacheAsync();
        return clean;
    }

    /// <summary>Asserts that each answer succeeded with the text and usage of its clean run.</summary>
    public static void AssertEqual(DrillCluster cluster, IReadOnlyList<DrillAnswer> clean, IReadOnlyList<DrillAnswer> answers)
    {
        foreach (var (answer, reference) in answers.Zip(clean))
        {
            Assert.True(answer.Succeeded, $"{answer}\n{cluster.Output()}");
            Assert.True(reference.Text == answer.Text, $"{answer.Request.Label}: {answer.Text.Length} chars, a clean run gave {reference.Text.Length}; first difference at {FirstDifference(answer.Text, reference.Text)}");
            Assert.Equal(reference.CompletionTokens, answer.CompletionTokens);
            Assert.Equal(reference.PromptTokens, answer.PromptTokens);
        }
    }

    public static int Equal(IReadOnlyList<DrillAnswer> clean, IReadOnlyList<DrillAnswer> answers) =>
        answers.Zip(clean).Count(pair => pair.First.Succeeded && pair.First.Text == pair.Second.Text);

    private static int FirstDifference(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return length;
    }
}
