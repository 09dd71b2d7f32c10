namespace InferenceCluster.Inference.Models;

/// <summary>
/// The tokenizer files of a model folder, as GenAI's tokenizer (onnxruntime-extensions) opens them: tokenizer_config.json,
/// then tokenizer.json, or the file the config's <c>tiktoken_file</c> names instead. Checked at start, so that a folder
/// whose tokenizer GenAI would refuse is an invalid setting naming the file, not a crash in the engine's load.
/// </summary>
internal static class TokenizerFiles
{
    /// <summary>The tokenizer's settings (tokenizer class, special tokens, chat template).</summary>
    public const string Config = "tokenizer_config.json";

    /// <summary>The vocabulary and merges.</summary>
    public const string Vocabulary = "tokenizer.json";

    /// <summary>What is wrong with the tokenizer files of <paramref name="path"/>, or null.</summary>
    public static string? Problem(string path, string setting)
    {
        try
        {
            if (Required(path, Config, setting) is not { } configJson)
            {
                return Missing(path, Config, setting);
            }

            using (var config = configJson.Parse())
            {
                if (configJson.OptionalString(config.RootElement, "tiktoken_file", "tiktoken_file") is { Length: > 0 } tiktoken)
                {
                    return File.Exists(Path.Combine(path, tiktoken))
                        ? null
                        : $"{setting}: '{path}' has no {tiktoken}, the vocabulary its {Config} names (tiktoken_file); {ModelFolder.Holds}";
                }
            }

            if (Required(path, Vocabulary, setting) is not { } vocabulary)
            {
                return Missing(path, Vocabulary, setting);
            }

            using var document = vocabulary.Parse();
            _ = vocabulary.RequiredObject(document.RootElement, "model", "model");
            return null;
        }
        catch (InvalidDataException exception)
        {
            return exception.Message;
        }
    }

    private static ModelFolderJson? Required(string path, string file, string setting)
    {
        var full = Path.Combine(path, file);
        return File.Exists(full) ? new ModelFolderJson(setting, full) : null;
    }

    private static string Missing(string path, string file, string setting) =>
        $"{setting}: '{path}' has no {file}, which GenAI's tokenizer reads; {ModelFolder.Holds}";
}
