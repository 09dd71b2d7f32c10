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
    public void Add_TokensFasterThanInterval_NoCountMakesThemDue()
    {
        var coalescer = new DeltaCoalescer(_time);
        coalescer.Add(Token("a"));
        coalescer.Flush();

        // However many arrive within the interval, they wait for it to end.
        var due = Enumerable.Range(0, 1000).Select(_ => coalescer.Add(Token("b"))).ToList();

        Assert.DoesNotContain(true, due);
        Assert.Equal(DeltaCoalescer.FlushInterval, coalescer.TimeUntilDue);
        _time.Advance(DeltaCoalescer.FlushInterval);
        Assert.True(coalescer.Add(Token("c")));
        Assert.Equal(1001, coalescer.Flush()!.TokenCount);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(2.5)]
    [InlineData(7)]
    [InlineData(19.9)]
    [InlineData(20)]
    [InlineData(33)]
    public void FlushWhenDue_AnyTokenRate_DeltasAtLeastOneIntervalApartAndEveryTokenSentOnce(double millisecondsPerToken)
    {
        // As the worker drives it: a delta when a token makes one due, or when the timer for TimeUntilDue ends first.
        var coalescer = new DeltaCoalescer(_time);
        var start = _time.GetTimestamp();
        var sentAt = new List<TimeSpan>();
        var sent = 0;
        var perToken = TimeSpan.FromMilliseconds(millisecondsPerToken);
        // Two seconds or more of tokens, so every rate spans many intervals.
        var tokens = (int)Math.Max(200, 2000 / millisecondsPerToken);
        for (var i = 0; i < tokens; i++)
        {
            if (i > 0)
            {
                // The time until the next token, cut short when pending text falls due first.
                var left = perToken;
                while (coalescer.TimeUntilDue is { } due && due < left)
                {
                    _time.Advance(due);
                    left -= due;
                    sent += Take(coalescer.Flush());
                }

                _time.Advance(left);
            }

            if (coalescer.Add(Token("x")))
            {
                sent += Take(coalescer.Flush());
            }
        }

        sent += coalescer.TakeRest()?.TokenCount ?? 0;

        Assert.Equal(tokens, sent);
        Assert.Equal(TimeSpan.Zero, sentAt[0]);
        Assert.All(sentAt.Zip(sentAt.Skip(1)), pair => Assert.True(pair.Second - pair.First >= DeltaCoalescer.FlushInterval, $"deltas at {pair.First} and {pair.Second}"));
        var duration = _time.GetElapsedTime(start);
        Assert.InRange(sentAt.Count, 1, 1 + (int)(duration / DeltaCoalescer.FlushInterval));

        int Take(PendingDelta? delta)
        {
            Assert.NotNull(delta);
            sentAt.Add(_time.GetElapsedTime(start));
            return delta.TokenCount;
        }
    }

    [Fact]
    public void TakeRest_TakesPendingTokensEvenInvisibleOnesWithoutStartingAnInterval()
    {
        var coalescer = new DeltaCoalescer(_time);
        coalescer.Add(Token("a"));
        coalescer.Flush();
        coalescer.Add(Token("b"));
        coalescer.Add(Token(string.Empty));

        var rest = coalescer.TakeRest()!;

        Assert.Equal(["b", string.Empty], rest.Tokens);
        Assert.Null(coalescer.TakeRest());
        Assert.Null(coalescer.TimeUntilDue);
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
        Assert.Equal(["b", "c"], delta.Tokens);
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
