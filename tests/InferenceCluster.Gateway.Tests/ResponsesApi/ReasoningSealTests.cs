using System.Text;
using InferenceCluster.Gateway.Responses;

namespace InferenceCluster.Gateway.Tests.ResponsesApi;

public sealed class ReasoningSealTests
{
    private const string Reasoning = "Two and two make four, so the answer is four.";

    [Fact]
    public void Seal_Reasoning_OpaqueToTheClientAndNewEachTime()
    {
        var seal = new ReasoningSeal();

        var first = seal.Seal(Reasoning);
        var second = seal.Seal(Reasoning);

        Assert.Matches("^[A-Za-z0-9_-]+$", first);
        var bytes = Convert.FromBase64String(first.Replace('-', '+').Replace('_', '/').PadRight((first.Length + 3) / 4 * 4, '='));
        Assert.DoesNotContain(Reasoning, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}
