using System.Globalization;
using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// <c>logit_bias</c> on <c>/v1/chat/completions</c> and <c>/v1/completions</c>. An empty object biases no token, which
/// every request here already does, so it is honoured as it stands; the engine cannot add a bias to a token's score, so
/// any entry is a 400 naming the parameter rather than a bias quietly dropped; a malformed one (a key that is not a
/// token id, a bias that is not a number from -100 to 100) is named as OpenAI names it.
/// </summary>
internal static class LogitBiasRule
{
    /// <summary>OpenAI's bound on a bias, either way.</summary>
    public const int MaxBias = 100;

    public static void Validate(JsonElement? logitBias)
    {
        if (logitBias is not { ValueKind: not JsonValueKind.Null } bias)
        {
            return;
        }

        if (bias.ValueKind != JsonValueKind.Object)
        {
            throw OpenAIException.InvalidType("logit_bias", "an object mapping token ids to biases");
        }

        // Ordinal order, so that the same request always gets the same error; a malformed entry is named before the
        // refusal, as OpenAI names it.
        foreach (var entry in bias.EnumerateObject().OrderBy(entry => entry.Name, StringComparer.Ordinal))
        {
            if (!uint.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw OpenAIException.InvalidValue(
                    "logit_bias", $"Invalid key in 'logit_bias': '{QuotedText.Of(entry.Name)}'; the keys are token ids (non-negative integers).");
            }

            var param = "logit_bias." + entry.Name;
            if (entry.Value.ValueKind != JsonValueKind.Number)
            {
                throw OpenAIException.InvalidType(param, "a number");
            }

            // A number beyond double's range reads as infinite: out of range all the same.
            if (!entry.Value.TryGetDouble(out var value) || value < -MaxBias || value > MaxBias)
            {
                throw OpenAIException.OutOfRange(param, -MaxBias, MaxBias, entry.Value.GetRawText());
            }
        }

        if (bias.EnumerateObject().Any())
        {
            throw OpenAIException.Unsupported(
                "logit_bias", "'logit_bias' cannot be honoured: the engine cannot bias a token's score; only an empty object ({}) is accepted.");
        }
    }
}
