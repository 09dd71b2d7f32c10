using InferenceCluster.Gateway.OpenAI.Reasoning;

namespace InferenceCluster.Gateway.Tests;

public sealed class ReasoningSplitterTests
{
    private static (string Reasoning, string Content) Run(params string[] pieces)
    {
        var splitter = new ReasoningSplitter();
        var reasoning = string.Empty;
        var content = string.Empty;
        foreach (var piece in pieces)
        {
            var out1 = splitter.Add(piece);
            reasoning += out1.Reasoning;
            content += out1.Content;
        }

        var rest = splitter.Flush();
        return (reasoning + rest.Reasoning, content + rest.Content);
    }

    [Fact]
    public void Add_TemplateOpenedThink_SplitsAtCloseTag()
    {
        var (reasoning, content) = Run("Let me think.", "</think>\n\nThe answer is 4.");

        Assert.Equal("Let me think.", reasoning);
        Assert.Equal("The answer is 4.", content);
    }

    [Fact]
    public void Add_LeadingOpenTagWrittenByModel_IsDropped()
    {
        var (reasoning, content) = Run("\n<th", "ink>\nHmm", " ok</think>Yes");

        Assert.Equal("\nHmm ok", reasoning);
        Assert.Equal("Yes", content);
    }

    [Fact]
    public void Add_CloseTagSplitAcrossPieces_IsRecognised()
    {
        var (reasoning, content) = Run("step one", "</th", "ink>", "\n", "Done");

        Assert.Equal("step one", reasoning);
        Assert.Equal("Done", content);
    }

    [Fact]
    public void Add_CloseTagSplitIntoSingleCharacters_IsRecognised()
    {
        var pieces = "a<b</think>c".Select(c => c.ToString()).ToArray();

        var (reasoning, content) = Run(pieces);

        Assert.Equal("a<b", reasoning);
        Assert.Equal("c", content);
    }

    [Fact]
    public void Add_PartialTagHeldBack_ReleasedWhenItIsNotATag()
    {
        var splitter = new ReasoningSplitter();

        var first = splitter.Add("x </th");
        var second = splitter.Add("ere");

        Assert.Equal("x ", first.Reasoning);
        Assert.Equal("</there", second.Reasoning);
        Assert.Equal(string.Empty, first.Content + second.Content);
    }

    [Fact]
    public void Flush_TurnEndedInsideReasoning_KeepsEverythingAsReasoning()
    {
        var (reasoning, content) = Run("still thinking </thi");

        Assert.Equal("still thinking </thi", reasoning);
        Assert.Equal(string.Empty, content);
    }

    [Fact]
    public void SplitAll_LaterThinkTagsInAnswer_StayInContent()
    {
        var split = ReasoningSplitter.SplitAll("r</think>answer with </think> inside");

        Assert.Equal("r", split.Reasoning);
        Assert.Equal("answer with </think> inside", split.Content);
    }
}
