using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The <c>usage</c> member of a streamed chunk, which has three states: absent (the client did not ask for
/// usage), <c>null</c> (asked for, but this is not the last chunk) and the usage object (the last chunk).
/// The default value is "absent" and is left out by the property's <c>WhenWritingDefault</c> condition.
/// </summary>
[JsonConverter(typeof(UsageSlotConverter))]
internal readonly record struct UsageSlot(bool Present, UsageDto? Value)
{
    /// <summary><c>"usage": null</c>.</summary>
    public static UsageSlot Null => new(true, null);

    public static UsageSlot Of(UsageDto usage) => new(true, usage);

    /// <summary>Null when the client asked for usage, absent otherwise.</summary>
    public static UsageSlot Pending(bool includeUsage) => includeUsage ? Null : default;
}

/// <summary>Writes a <see cref="UsageSlot"/> as null or as its usage object.</summary>
internal sealed class UsageSlotConverter : JsonConverter<UsageSlot>
{
    public override UsageSlot Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null
            ? UsageSlot.Null
            : UsageSlot.Of(JsonSerializer.Deserialize(ref reader, OpenAIJsonContext.Wire.UsageDto)!);

    public override void Write(Utf8JsonWriter writer, UsageSlot value, JsonSerializerOptions options)
    {
        if (value.Value is null)
        {
            writer.WriteNullValue();
            return;
        }

        JsonSerializer.Serialize(writer, value.Value, OpenAIJsonContext.Wire.UsageDto);
    }
}
