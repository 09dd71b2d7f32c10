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

    /// <summary>
    /// Why <paramref name="path"/>, named by <paramref name="setting"/>, is no model folder, or null when it holds a
    /// genai_config.json; checked at start so that the error names the setting.
    /// </summary>
    public static string? Problem(string path, string setting)
    {
        if (File.Exists(System.IO.Path.Combine(path, "genai_config.json")))
        {
            return null;
        }

        var what = Directory.Exists(path) ? "has no genai_config.json" : "does not exist";
        return $"{setting}: '{path}' {what}; a model folder in ONNX Runtime GenAI format holds genai_config.json, the tokenizer files and model.onnx.";
    }

    public static ModelFolder Read(string path) => Read(path, setting: null);

    /// <summary>Reads the folder a setting names; a folder that is not a model is an error naming the setting.</summary>
    public static ModelFolder Read(string path, string? setting)
    {
        var configPath = System.IO.Path.Combine(path, "genai_config.json");
        if (Problem(path, setting ?? "model folder") is { } problem)
        {
            throw new FileNotFoundException(problem, configPath);
        }

        using var config = JsonDocument.Parse(File.ReadAllText(configPath));
        var model = config.RootElement.GetProperty("model");
        var context = model.GetProperty("context_length").GetInt32();
        var maxLength = context;
        if (config.RootElement.TryGetProperty("search", out var search)
            && search.TryGetProperty("max_length", out var max) && max.GetInt32() > 0)
        {
            maxLength = Math.Min(context, max.GetInt32());
        }

        var batching = config.RootElement.TryGetProperty("engine", out var engine)
            && engine.TryGetProperty("dynamic_batching", out var section)
            && section.ValueKind == JsonValueKind.Object
            ? section
            : default;
        var dynamic = batching.ValueKind == JsonValueKind.Object;
        var blockSize = dynamic && batching.TryGetProperty("block_size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt32() : 0;
        var blocks = dynamic && batching.TryGetProperty("num_blocks", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetInt32() : 0;

        return new ModelFolder
        {
            Path = path,
            ContextLength = context,
            MaxLength = maxLength,
            VocabSize = model.GetProperty("vocab_size").GetInt32(),
            DynamicBatching = dynamic,
            EosTokenIds = ReadEos(model),
            KvBlockSize = blockSize,
            KvBlocks = blocks,
            ChatTemplate = ReadChatTemplate(path),
        };
    }

    private static HashSet<int> ReadEos(JsonElement model)
    {
        if (!model.TryGetProperty("eos_token_id", out var eos))
        {
            return [];
        }

        return eos.ValueKind == JsonValueKind.Array
            ? eos.EnumerateArray().Select(e => e.GetInt32()).ToHashSet()
            : [eos.GetInt32()];
    }

    private static string? ReadChatTemplate(string path)
    {
        var file = System.IO.Path.Combine(path, "tokenizer_config.json");
        if (!File.Exists(file))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.TryGetProperty("chat_template", out var template) && template.ValueKind == JsonValueKind.String
            ? template.GetString()
            : null;
    }
}
