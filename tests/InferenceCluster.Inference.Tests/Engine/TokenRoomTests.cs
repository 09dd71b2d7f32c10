using InferenceCluster.Contracts;
using InferenceCluster.Inference.Engine;

namespace InferenceCluster.Inference.Tests.Engine;

/// <summary>
/// The rule that fits token limits into the room a prompt leaves: a limit the server chose is lowered, the client's own
/// is honoured or rejected naming it. A context of 100 tokens and a prompt of 90 leave a room of 10.
/// </summary>
public sealed class TokenRoomTests
{
    private const int Capacity = 100;
    private const int Prompt = 90;

    private static (int MaxTokens, int MinTokens) Fit(int maxTokens, bool fitMax, int minTokens, bool fitMin) =>
        TokenRoom.Fitted(maxTokens, fitMax, minTokens, fitMin, Prompt, Capacity, "messages", "this model's context of 100 tokens");

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Fitted_LimitsThatFit_Unchanged(bool fitMax, bool fitMin)
    {
        Assert.Equal((8, 4), Fit(8, fitMax, 4, fitMin));
    }

    [Fact]
    public void Fitted_ServerChosenMaxTokensOverTheRoom_LoweredToTheRoom()
    {
        Assert.Equal((10, 4), Fit(1024, true, 4, false));
    }

    [Fact]
    public void Fitted_ServerChosenMinTokensOverTheRoom_LoweredToTheAppliedMaxTokens()
    {
        Assert.Equal((10, 10), Fit(1024, true, 500, true));
    }

    [Fact]
    public void Fitted_ServerChosenMinTokensUnderTheRoom_KeptAsIs()
    {
        Assert.Equal((10, 6), Fit(1024, true, 6, true));
    }

    [Fact]
    public void Fitted_ClientMinTokensOverTheRoom_RejectedNamingMinTokens()
    {
        var error = Assert.Throws<GenerationRejectedException>(() => Fit(1024, true, 500, false));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("min_tokens", error.Param);
        Assert.Contains("min_tokens (500)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fitted_ClientMaxTokensOverTheRoom_RejectedNamingMaxTokensEvenWithAServerFloor()
    {
        var error = Assert.Throws<GenerationRejectedException>(() => Fit(50, false, 20, true));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("max_tokens", error.Param);
    }

    [Fact]
    public void Fitted_PromptFillsTheContext_RejectedNamingTheInputWhateverTheFlags()
    {
        var error = Assert.Throws<GenerationRejectedException>(() =>
            TokenRoom.Fitted(1024, true, 500, true, Capacity, Capacity, "prompt", "this model's context of 100 tokens"));

        Assert.Equal(FailureCodes.ContextLengthExceeded, error.Code);
        Assert.Equal("prompt", error.Param);
    }
}
