using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The <c>type</c> member that says what an object is (a response format, a content part), read as every required
/// string is (<see cref="RequiredString"/>).
/// </summary>
internal static class TypeMember
{
    /// <summary>The type of <paramref name="tagged"/>, or the 400 naming <paramref name="param"/>.</summary>
    public static string Read(JsonElement tagged, string param) => RequiredString.Read(tagged, "type", param);
}
