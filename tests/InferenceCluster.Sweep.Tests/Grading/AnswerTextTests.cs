using InferenceCluster.Sweep.Grading;

namespace InferenceCluster.Sweep.Tests.Grading;

public sealed class AnswerTextTests
{
    [Theory]
    [InlineData("<think>maybe 5</think>\nIt is 6.", "It is 6.")]
    [InlineData("maybe 5, since the template opened the tag\n</think>\n\nIt is 6.", "It is 6.")]
    [InlineData("It is 6.", "It is 6.")]
    [InlineData("<think>still thinking when the budget ran out", "")]
    public void Extract_ReasoningPresentOrNot_ReturnsAnswerOnly(string content, string expected)
    {
        Assert.Equal(expected, AnswerText.Extract(content));
    }
}
