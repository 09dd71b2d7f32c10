namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// A string's length as OpenAI's limits count it ("at most 64 characters"): Unicode characters (code points), so an
/// emoji or a character outside the Basic Multilingual Plane is one character, where <see cref="string.Length"/>
/// counts its two UTF-16 units and would refuse text OpenAI's API accepts.
/// </summary>
internal static class CharacterCount
{
    public static int Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
