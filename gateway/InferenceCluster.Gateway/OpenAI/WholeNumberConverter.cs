using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Reads an integer member (<c>n</c>, <c>max_tokens</c>, <c>seed</c>, <c>top_k</c>, …) from any JSON number whose value
/// is whole: <c>1.0</c> and <c>1e3</c> as well as <c>1</c>, as OpenAI's API takes them (clients that keep every number
/// as a double send <c>1.0</c>). A fraction, a value outside <typeparamref name="T"/> or a string is the member's
/// <c>invalid_type</c> error. Registered for every integer type of the wire contexts, so one rule holds for all of them.
/// </summary>
internal sealed class WholeNumberConverter<T> : JsonConverter<T>
    where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
{
    private static readonly decimal Min = decimal.CreateTruncating(T.MinValue);
    private static readonly decimal Max = decimal.CreateTruncating(T.MaxValue);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Decimal holds every 64-bit integer exactly, so a large seed is never rounded on its way in.
        if (reader.TokenType != JsonTokenType.Number
            || !reader.TryGetDecimal(out var value)
            || value != decimal.Truncate(value)
            || value < Min
            || value > Max)
        {
            // The serializer adds the member's path, which names it in the 400.
            throw new JsonException();
        }

        return T.CreateTruncating(value);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(long.CreateTruncating(value));
    }
}
