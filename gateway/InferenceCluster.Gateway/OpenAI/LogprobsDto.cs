using System.Text;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The <c>logprobs</c> object of a choice.</summary>
internal sealed record LogprobsDto(IReadOnlyList<LogprobContent> Content)
{
    /// <summary>Always null, as <see cref="AssistantMessage.Refusal"/> is; the SDKs' types require the member.</summary>
    public IReadOnlyList<LogprobContent>? Refusal => null;

    public static LogprobsDto From(IReadOnlyList<TokenLogprob> tokens) =>
        new([.. tokens.Select(token => new LogprobContent(
            token.Token,
            token.Logprob,
            Bytes(token.Token),
            [.. token.Top.Select(top => new TopLogprobDto(top.Token, top.Logprob, Bytes(top.Token)))]))]);

    private static int[] Bytes(string token) => [.. Encoding.UTF8.GetBytes(token).Select(b => (int)b)];
}
