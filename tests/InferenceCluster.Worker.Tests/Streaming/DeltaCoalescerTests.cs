using InferenceCluster.Inference;
using InferenceCluster.Worker.Streaming;
using InferenceCluster.Worker.Tests.Fakes;

namespace InferenceCluster.Worker.Tests.Streaming;

public sealed class DeltaCoalescerTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Add_FirstVisibleToken_IsDueAtOnce()
    {
        var coalescer = new DeltaCoalescer(_time);

        Assert.True(coalescer.Add(Token("Hel")));
        var delta = coalescer.Flush();

        Assert.Equal(["Hel"], delta!.Tokens);
        Assert.Null(delta.Logprobs);
    }

    [Fact]
    public void Add_TokensFasterThanInterval_DueAtEighthToken()
    {
        var coalescer = new DeltaCoalescer(_time);
        coalescer.Add(Token("a"));
        coalescer.Flush();

        var due = Enumerable.Range(0, DeltaCoalescer.MaxTokens).Select(_ => coalescer.Add(Token("b"))).ToList();

        Assert.Equal([.. Enumerable.Repeat(false, DeltaCoalescer.MaxTokens - 1), true], due);
        Assert.Equal(new string('b', DeltaCoalescer.MaxTokens), coalescer.Flush()!.Text);
    }

    [Fact]
    public void Add_AfterFlushInterval_IsDue()
    {
        var coalescer = new DeltaCoalescer(_time);
        coalescer.Add(Token("a"));
        coalescer.Flush();

        Assert.False(coalescer.Add(Token("b")));
        _time.Advance(DeltaCoalescer.FlushInterval);
        Assert.True(coalescer.Add(Token("c")));

        var delta = coalescer.Flush()!;
        Assert.Equal("bc", delta.Text);
        Assert.Equal(2, delta.TokenCount);
    }

    [Fact]
    public void Add_TokenWithoutVisibleText_WaitsForTheCharacterToComplete()
    {
        var coalescer = new DeltaCoalescer(_time);

        // The engine holds back the bytes of an unfinished character and delivers them with the next token.
        Assert.False(coalescer.Add(Token(string.Empty)));
        Assert.Null(coalescer.Flush());
        Assert.True(coalescer.Add(Token("😀")));

        var delta = coalescer.Flush()!;
        Assert.Equal("😀", delta.Text);
        Assert.Equal([string.Empty, "😀"], delta.Tokens);
    }

    [Fact]
    public void Flush_WithLogprobs_CarriesOnePerToken()
    {
        var coalescer = new DeltaCoalescer(_time);
        coalescer.Add(new TokenGenerated(1, "a", new Contracts.TokenLogprob("a", -0.1, [])));
        coalescer.Flush();
        coalescer.Add(new TokenGenerated(2, "b", new Contracts.TokenLogprob("b", -0.2, [])));
        coalescer.Add(new TokenGenerated(3, "c", new Contracts.TokenLogprob("c", -0.3, [])));

        var delta = coalescer.Flush()!;

        Assert.Equal([-0.2, -0.3], delta.Logprobs!.Select(l => l.Logprob));
    }

    [Fact]
    public void Flush_NothingPending_ReturnsNull()
    {
        var coalescer = new DeltaCoalescer(_time);
        coalescer.Add(Token("a"));
        coalescer.Flush();

        Assert.Null(coalescer.Flush());
    }

    private static TokenGenerated Token(string text) => new(0, text, null);
}
