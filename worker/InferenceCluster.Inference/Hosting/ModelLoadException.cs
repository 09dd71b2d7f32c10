namespace InferenceCluster.Inference.Hosting;

/// <summary>
/// ONNX Runtime GenAI refused to load the model or its tokenizer at start. The message names the setting, the folder, the
/// model and GenAI's own message, in one line. <see cref="FolderFault"/> says whether the folder's files are to blame
/// (a restart would fail the same way) or whether it may be the device or the memory, which a restart can mend.
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>GenAI refused to load a model.</summary>
    public ModelLoadException()
    {
    }

    /// <summary>GenAI refused to load a model, as <paramref name="message"/> says.</summary>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>GenAI refused to load a model, as <paramref name="message"/> says, with its own error.</summary>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// True when the folder's files are to blame: the tokenizer refused them (it reads files and nothing else), or GenAI's
    /// message names a file in the folder (ONNX Runtime's "Load model from …/model.onnx failed: Protobuf parsing failed",
    /// GenAI's "Error encountered while parsing '…/genai_config.json'"). False when it names none: a device out of
    /// memory, a CUDA fault; GenAI's messages do not tell which of those a restart mends. A provider the build lacks never
    /// gets here: <see cref="ExecutionProviderValidator"/> refuses it with the settings.
    /// </summary>
    public bool FolderFault { get; init; }

    /// <summary>The error for GenAI's <paramref name="error"/> while loading the model <paramref name="model"/> of <paramref name="path"/>.</summary>
    internal static ModelLoadException Wrap(Exception error, string setting, string path, string model, string what, bool folderFault)
    {
        var said = OneLine(error.Message);
        var fault = folderFault || said.Contains(path.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return new ModelLoadException($"{setting}: '{path}' (model {model}): ONNX Runtime GenAI could not load its {what}: {said}", error)
        {
            FolderFault = fault,
        };
    }

    /// <summary>GenAI's message on one line, ending a sentence (the exit's line goes on after it).</summary>
    private static string OneLine(string message)
    {
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.EndsWith('.') ? line : line + ".";
    }
}
