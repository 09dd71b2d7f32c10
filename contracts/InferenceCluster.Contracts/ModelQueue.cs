using System.Text;

namespace InferenceCluster.Contracts;

/// <summary>
/// The one formula for the queue a model's requests travel on, so gateway and workers always agree:
/// <c>generate-{modelId}</c>, lower-cased, every character outside [a-z0-9.-] replaced by '-'.
/// </summary>
public static class ModelQueue
{
    /// <summary>The endpoint (queue) name of <paramref name="modelId"/>, e.g. <c>generate-qwen2.5-1.5b</c>.</summary>
    public static string Name(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var name = new StringBuilder("generate-", 9 + modelId.Length);
        foreach (var c in modelId.ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' ? c : '-');
        }

        return name.ToString();
    }

    /// <summary>The short send address of the model's queue, resolved by the bus against its own host.</summary>
    public static Uri Address(string modelId) => new($"queue:{Name(modelId)}");
}
