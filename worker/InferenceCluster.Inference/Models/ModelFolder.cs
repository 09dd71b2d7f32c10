using System.Text.Json;

namespace InferenceCluster.Inference.Models;

/// <summary>What the engine needs to know from a model folder's genai_config.json and tokenizer files.</summary>
internal sealed record ModelFolder
{
    public required string Path { get; init; }

    /// <summary>model.context_length: the window the weights were built for.</summary>
    public required int ContextLength { get; init; }

    /// <summary>search.max_length when set, else the context length: GenAI's per-request ceiling.</summary>
    public required int MaxLength { get; init; }

    public required int VocabSize { get; init; }

    /// <summary>True when genai_config declares engine.dynamic_batching (a paged-KV model).</summary>
    public required bool DynamicBatching { get; init; }

    public required IReadOnlySet<int> EosTokenIds { get; init; }

    /// <summary>Tokens per KV-cache block of a dynamic-batching model (<c>engine.dynamic_batching.block_size</c>), else 0.</summary>
    public int KvBlockSize { get; init; }

    /// <summary>KV-cache blocks the config reserves (<c>num_blocks</c>), 0 when it leaves the number to GenAI.</summary>
    public int KvBlocks { get; init; }

    /// <summary>The chat template from tokenizer_config.json, if any.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>The model file GenAI loads (<c>model.decoder.filename</c>), relative to the folder; null when unnamed.</summary>
    public string? WeightsFile { get; init; }

    /// <summary>
    /// Why <paramref name="path"/>, named by <paramref name="setting"/>, is no model folder GenAI can load, or null: its
    /// genai_config.json missing or malformed, (when <paramref name="weights"/>, the engine loading them) the model file
    /// that config names missing, or (when <paramref name="tokenizer"/>, the folder the prompts are tokenized with) a
    /// tokenizer file missing or malformed (<see cref="TokenizerFiles"/>); checked at start so that the error names the
    /// setting.
    /// </summary>
    public static string? Problem(string path, string setting, bool weights = true, bool tokenizer = true)
    {
        if (Missing(path, setting) is { } missing)
        {
            return missing;
        }

        try
        {
            var folder = Read(path, setting);
            return weights && folder.WeightsFile is { } file && !File.Exists(System.IO.Path.Combine(path, file))
                ? $"{setting}: '{path}' has no {file}, the model file its genai_config.json names (model.decoder.filename)."
                : tokenizer ? TokenizerFiles.Problem(path, setting) : null;
        }
        catch (InvalidDataException exception)
        {
            return exception.Message;
        }
    }

    public static ModelFolder Read(string path) => Read(path, setting: null);

    /// <summary>
    /// Reads the folder a setting names; a folder that is not a model, or whose genai_config.json or tokenizer_config.json
    /// is malformed (<see cref="InvalidDataException"/>), is an error naming the setting and the file.
    /// </summary>
    public static ModelFolder Read(string path, string? setting)
    {
        var configPath = System.IO.Path.Combine(path, "genai_config.json");
        setting ??= "model folder";
        if (Missing(path, setting) is { } missing)
        {
            throw new FileNotFoundException(missing, configPath);
        }

        var json = new ModelFolderJson(setting, configPath);
        using var config = json.Parse();
        var model = json.RequiredObject(config.RootElement, "model", "model");
        var context = json.RequiredCount(model, "context_length", "model.context_length");
        var max = config.RootElement.TryGetProperty("search", out var search)
            ? json.OptionalWholeNumber(search, "max_length", "search.max_length")
            : 0;
        var maxLength = max > 0 ? Math.Min(context, max) : context;

        var batching = config.RootElement.TryGetProperty("engine", out var engine)
            && engine.ValueKind == JsonValueKind.Object
            && engine.TryGetProperty("dynamic_batching", out var section)
            && section.ValueKind == JsonValueKind.Object
            ? section
            : default;
        var dynamic = batching.ValueKind == JsonValueKind.Object;
        var blockSize = json.OptionalWholeNumber(batching, "block_size", "engine.dynamic_batching.block_size");
        var blocks = json.OptionalWholeNumber(batching, "num_blocks", "engine.dynamic_batching.num_blocks");

        return new ModelFolder
        {
            Path = path,
            ContextLength = context,
            MaxLength = maxLength,
            VocabSize = json.RequiredCount(model, "vocab_size", "model.vocab_size"),
            DynamicBatching = dynamic,
            EosTokenIds = ReadEos(json, model),
            KvBlockSize = blockSize,
            KvBlocks = blocks,
            ChatTemplate = ReadChatTemplate(path, setting),
            WeightsFile = model.TryGetProperty("decoder", out var decoder)
                ? json.OptionalString(decoder, "filename", "model.decoder.filename")
                : null,
        };
    }

    /// <summary>What a model folder holds, ending every message about a folder that is not one.</summary>
    internal const string Holds = "a model folder in ONNX Runtime GenAI format holds genai_config.json, the tokenizer files and model.onnx.";

    private static string? Missing(string path, string setting)
    {
        if (File.Exists(System.IO.Path.Combine(path, "genai_config.json")))
        {
            return null;
        }

        var what = Directory.Exists(path) ? "has no genai_config.json" : "does not exist";
        return $"{setting}: '{path}' {what}; {Holds}";
    }

    private static HashSet<int> ReadEos(ModelFolderJson json, JsonElement model)
    {
        if (!model.TryGetProperty("eos_token_id", out var eos))
        {
            return [];
        }

        return eos.ValueKind == JsonValueKind.Array
            ? eos.EnumerateArray().Select(e => json.TokenId(e, "model.eos_token_id")).ToHashSet()
            : [json.TokenId(eos, "model.eos_token_id")];
    }

    private static string? ReadChatTemplate(string path, string setting)
    {
        var file = System.IO.Path.Combine(path, "tokenizer_config.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var doc = new ModelFolderJson(setting, file).Parse();
        return doc.RootElement.TryGetProperty("chat_template", out var template) && template.ValueKind == JsonValueKind.String
            ? template.GetString()
            : null;
    }
}
