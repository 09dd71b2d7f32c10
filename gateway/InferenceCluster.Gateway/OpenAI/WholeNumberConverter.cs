using System.Buffers;
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
    private static readonly BigInteger Min = BigInteger.CreateChecked(T.MinValue);
    private static readonly BigInteger Max = BigInteger.CreateChecked(T.MaxValue);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            // The serializer adds the member's path, which names it in the 400.
            throw new JsonException();
        }

        // A plain integer is the common case; anything else is read from its text exactly (TryGetDecimal rounds
        // 1e-30 to 0 and 5.00000000000000000000000000001 to 5, which would take a fraction for a whole number).
        BigInteger? value = reader.TryGetInt64(out var plain)
            ? plain
            : WholeNumberText.Parse(reader.HasValueSequence ? (ReadOnlySpan<byte>)reader.ValueSequence.ToArray() : reader.ValueSpan);
        if (value is not { } whole || whole < Min || whole > Max)
        {
            throw new JsonException();
        }

        return T.CreateChecked(whole);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(long.CreateTruncating(value));
    }
}
