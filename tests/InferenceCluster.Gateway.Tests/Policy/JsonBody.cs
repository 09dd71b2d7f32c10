using System.Text;

namespace InferenceCluster.Gateway.Tests.Policy;

/// <summary>A generated request body; shown as text (invalid UTF-8 as U+FFFD) when a property fails.</summary>
public sealed record JsonBody(byte[] Bytes)
{
    public override string ToString() => Encoding.UTF8.GetString(Bytes);
}
