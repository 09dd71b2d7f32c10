using System.Text;

namespace InferenceCluster.Worker.Hosting;

/// <summary>
/// The queue a model's requests travel on: <c>generate-{modelId}</c>, lower-cased, characters outside
/// [a-z0-9.-] replaced by '-'. Gateway and worker must compute the same name; the contracts project's
/// ModelQueue.Name holds the shared formula, and this copy must stay identical to it.
/// </summary>
internal static class ModelQueueName
{
    public static string For(string modelId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        var name = new StringBuilder("generate-", 9 + modelId.Length);
        foreach (var c in modelId.ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' ? c : '-');
        }

        return name.ToString();
    }
}
