using System.Diagnostics;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>Waits, in real time, for what a background loop does: generous, since a loaded machine runs it late.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test when it has not within 30 s.</summary>
    public static async Task TrueAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, $"the condition did not come true within {Patience.TotalSeconds:0} s");
            await Task.Delay(10);
        }
    }
}
