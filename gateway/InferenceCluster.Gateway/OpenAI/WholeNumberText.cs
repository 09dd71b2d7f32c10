using System.Numerics;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// Reads a JSON number's text as an exact whole number: sign, integer digits, fraction digits and exponent, with no
/// floating point or decimal rounding on the way, so <c>1e-30</c> and <c>5.00000000000000000000000000001</c> are fractions.
/// </summary>
internal static class WholeNumberText
{
    // Past this many significant integer digits no integer parameter's range is reached; the bound keeps the work small.
    private const int MaxIntegerDigits = 40;

    // An exponent is read up to this size; a larger one moves the point past any digit a request body can hold.
    private const long MaxExponent = 100_000_000;

    /// <summary>The whole number <paramref name="text"/> (a valid JSON number) stands for, or null when it has a fraction.</summary>
    public static BigInteger? Parse(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var rest = negative ? text[1..] : text;
        var integer = Digits(rest);
        rest = rest[integer.Length..];
        var fraction = ReadOnlySpan<byte>.Empty;
        if (rest.Length > 0 && rest[0] == (byte)'.')
        {
            fraction = Digits(rest[1..]);
            rest = rest[(1 + fraction.Length)..];
        }

        var exponent = rest.Length > 0 ? Exponent(rest[1..]) : 0;

        // The digits of integer and fraction in one row, the point after `point` of them once the exponent moved it.
        var length = integer.Length + fraction.Length;
        var point = integer.Length + exponent;
        var first = -1;
        var last = -1;
        for (var i = 0; i < length; i++)
        {
            if (Digit(integer, fraction, i) != 0)
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        if (first < 0)
        {
            return BigInteger.Zero;
        }

        if (last >= point)
        {
            return null;
        }

        // Every digit from `first` up to the point is part of the integer, digits past the row are the exponent's zeros.
        if (point - first > MaxIntegerDigits)
        {
            return negative ? -BigInteger.Pow(10, MaxIntegerDigits) : BigInteger.Pow(10, MaxIntegerDigits);
        }

        var value = BigInteger.Zero;
        for (var i = first; i < point; i++)
        {
            value = (value * 10) + (i < length ? Digit(integer, fraction, i) : 0);
        }

        return negative ? -value : value;
    }

    private static ReadOnlySpan<byte> Digits(ReadOnlySpan<byte> text)
    {
        var count = 0;
        while (count < text.Length && char.IsAsciiDigit((char)text[count]))
        {
            count++;
        }

        return text[..count];
    }

    private static int Digit(ReadOnlySpan<byte> integer, ReadOnlySpan<byte> fraction, int index) =>
        (index < integer.Length ? integer[index] : fraction[index - integer.Length]) - '0';

    private static long Exponent(ReadOnlySpan<byte> text)
    {
        var negative = text.Length > 0 && text[0] == (byte)'-';
        var digits = text.Length > 0 && (text[0] == (byte)'-' || text[0] == (byte)'+') ? text[1..] : text;
        long value = 0;
        foreach (var digit in digits)
        {
            value = Math.Min((value * 10) + (digit - '0'), MaxExponent);
        }

        return negative ? -value : value;
    }
}
