using InferenceCluster.Inference.Text;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// The tokens the simulated accelerator emits: real ids of the model's vocabulary whose text, decoded on its
/// own, is plain ASCII (words, digits, spaces, punctuation), so every emitted token is whole characters and
/// concatenating the texts gives exactly what the tokenizer decodes. Events are made once at load: emitting a
/// token allocates nothing.
/// </summary>
internal sealed class SimulatedVocabulary
{
    private const int MaxTokenLength = 16;
    private const string Punctuation = " .,;:!?'-()";

    private readonly TokenGenerated[] _tokens;

    private SimulatedVocabulary(TokenGenerated[] tokens) => _tokens = tokens;

    public int Count => _tokens.Length;

    public static SimulatedVocabulary Build(PromptEncoder encoder, int vocabSize, IReadOnlySet<int> endOfSequence, string modelPath)
    {
        var tokens = new List<TokenGenerated>();
        for (var id = 0; id < vocabSize; id++)
        {
            if (endOfSequence.Contains(id))
            {
                continue;
            }

            var text = encoder.Decode([id]);
            if (IsPlain(text))
            {
                tokens.Add(new TokenGenerated(id, text, null));
            }
        }

        return tokens.Count > 0
            ? new SimulatedVocabulary([.. tokens])
            : throw new OptionsValidationException(Options.DefaultName, typeof(SimulationOptions), [
                $"The tokenizer in '{modelPath}' (Inference:ModelPath) decodes no token to plain text; the simulated accelerator emits only such tokens."]);
    }

    public TokenGenerated Pick(ref SplitMix64 random) => _tokens[random.NextIndex(_tokens.Length)];

    private static bool IsPlain(string text)
    {
        if (text.Length is 0 or > MaxTokenLength || string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !Punctuation.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
