using InferenceCluster.Sweep.Grading;

namespace InferenceCluster.Sweep.Tests.Grading;

public sealed class AnswerTextTests
{
    [Theory]
    [InlineData("<think>maybe 5</think>\nIt is 6.", "It is 6.")]
    [InlineData("maybe 5, since the template opened the tag\n</think>\n\nIt is 6.", "It is 6.")]
    [InlineData("It is 6.", "It is 6.")]
    [InlineData("<think>still thinking when the budget ran out", "")]
    public void Extract_ModelTagsItsReasoning_ReturnsAnswerOnly(string content, string expected)
    {
        Assert.Equal(expected, AnswerText.Extract(content, ReasoningStart.Tagged));
    }

    [Theory]
    [InlineData("maybe 5, since the template opened the tag\n</think>\n\nIt is 6.", "It is 6.")]
    [InlineData("<think>maybe 5</think>\nIt is 6.", "It is 6.")]
    [InlineData("<think>still thinking when the budget ran out", "")]
    public void Extract_TemplateOpenedReasoning_ReturnsTextAfterClosingTagOnly(string content, string expected)
    {
        Assert.Equal(expected, AnswerText.Extract(content, ReasoningStart.Opened));
    }

    [Fact]
    public void Extract_TemplateOpenedReasoningCutByLength_HasNoAnswerEvenWithTheRightNumberMidThought()
    {
        // DeepSeek-R1's template ends the prompt with "<think>\n", so a reply cut before "</think>" carries
        // no tag at all; its text is thinking, not an answer, however right it looks.
        const string cut = "The 30th term is a_n = a_1 + (n-1)d = 7 + 29*4 = 123. So the answer is 123. Wait, let me";

        Assert.Equal("", AnswerText.Extract(cut, ReasoningStart.Opened));
        Assert.Equal(cut, AnswerText.Extract(cut, ReasoningStart.Tagged));
    }

    [Theory]
    [InlineData(ReasoningStart.Opened)]
    [InlineData(ReasoningStart.Tagged)]
    public void Extract_ServerSeparatedReasoning_ContentIsTheAnswer(ReasoningStart start)
    {
        // A gateway that returns reasoning_content has taken the thinking out of content already.
        Assert.Equal("\\boxed{123}", AnswerText.Extract("\n\\boxed{123}\n", "7 + 29*4 = 123", start));

        // Cut inside the reasoning: everything is reasoning_content, and there is no answer.
        Assert.Equal("", AnswerText.Extract("", "7 + 29*4 = 123. Wait, let me", start));
    }
}
