using System.Text;
using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>A place in a request body, named as the validators name a parameter: <c>messages[0].content</c>.</summary>
internal static class JsonParamPath
{
    /// <summary>
    /// The first place, depth first, where <paramref name="fault"/> finds one: it is asked about every value and
    /// answers null, or the steps from that value to the fault (empty for the value itself, or a member's name).
    /// </summary>
    /// <returns>The path of the fault, or null when there is none.</returns>
    public static string? FindFirst(JsonElement root, Func<JsonElement, List<object>?> fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return Find(root, fault) is { } steps ? Format(steps) : null;
    }

    /// <summary>The steps, innermost first; they are added only on the way out.</summary>
    private static List<object>? Find(JsonElement element, Func<JsonElement, List<object>?> fault)
    {
        if (fault(element) is { } here)
        {
            return here;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, fault) is { } found)
                    {
                        found.Add(index);
                        return found;
                    }

                    index++;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (Find(member.Value, fault) is { } found)
                    {
                        found.Add(member.Name);
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string Format(List<object> steps)
    {
        var path = new StringBuilder();
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            _ = steps[i] is int index
                ? path.Append('[').Append(index).Append(']')
                : (i == steps.Count - 1 ? path : path.Append('.')).Append((string)steps[i]);
        }

        return path.ToString();
    }
}
