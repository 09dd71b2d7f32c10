using System.Globalization;

namespace InferenceCluster.Gateway.Policy;

/// <summary>One value the server set instead of the client: <c>top_p=0.9 (pinned)</c>.</summary>
internal sealed record PolicyAdjustment(string Param, double Value, string Reason)
{
    public const string HeaderName = "X-Inference-Adjustments";

    public override string ToString() => $"{Param}={Value.ToString("0.####", CultureInfo.InvariantCulture)} ({Reason})";

    /// <summary>The header value: adjustments in the order they were made, separated by "; ".</summary>
    public static string Header(IEnumerable<PolicyAdjustment> adjustments) => string.Join("; ", adjustments);
}
