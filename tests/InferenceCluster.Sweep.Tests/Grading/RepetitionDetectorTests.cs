using InferenceCluster.Sweep.Grading;

namespace InferenceCluster.Sweep.Tests.Grading;

public sealed class RepetitionDetectorTests
{
    [Theory]
    [InlineData("Wait, let me check. Wait, let me check. Wait, let me check. So")]
    [InlineData("the answer is the answer is the answer is 5")]
    [InlineData("no no no no")]
    [InlineData("<think>Hmm. Hmm. Hmm. Hmm.</think>")]
    [InlineData("结果是结果是结果是")]
    public void HasRepetition_Loop_True(string text)
    {
        Assert.True(RepetitionDetector.HasRepetition(text));
    }

    [Theory]
    [InlineData("The answer is 5. I checked the answer twice.")]
    [InlineData("Wait, let me check. Wait, let me check. Done.")]
    [InlineData("no no no")]
    [InlineData("| a | b |\n|---|---|---|\n| 1 | 2 |")]
    [InlineData("a_1 = 1, a_2 = 2, a_3 = 3, a_4 = 4")]
    public void HasRepetition_OrdinaryText_False(string text)
    {
        Assert.False(RepetitionDetector.HasRepetition(text));
    }
}
