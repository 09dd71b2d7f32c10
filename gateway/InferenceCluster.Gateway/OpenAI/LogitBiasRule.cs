using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// <c>logit_bias</c> on <c>/v1/chat/completions</c> and <c>/v1/completions</c>. An empty object biases no token, which
/// every request here already does, so it is honoured as it stands; the engine cannot add a bias to a token's score, so
/// any entry is a 400 naming the parameter rather than a bias quietly dropped.
/// </summary>
internal static class LogitBiasRule
{
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

        if (bias.EnumerateObject().Any())
        {
            throw OpenAIException.Unsupported(
                "logit_bias", "'logit_bias' cannot be honoured: the engine cannot bias a token's score; only an empty object ({}) is accepted.");
        }
    }
}
