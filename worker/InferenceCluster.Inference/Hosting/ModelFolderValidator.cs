using InferenceCluster.Inference.Models;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Inference.Hosting;

/// <summary>
/// Checks at start that <c>Inference:ModelPath</c> and <c>Inference:ClassicModelPath</c>, when set, name model folders
/// (a readable genai_config.json and the model file it names, the simulation reading no weights; and the tokenizer files of the model folder, which the classic path's folder borrows), so that a wrong path or a
/// malformed folder is an invalid setting named as such (a worker exits 78 on it and is not restarted in a loop), not a
/// crash in the engine's load.
/// </summary>
internal sealed class ModelFolderValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.ModelPath)
            && ModelFolder.Problem(Path.GetFullPath(options.ModelPath), InferenceEngineFactory.ModelPathSetting,
                weights: options.ExecutionProvider != SimulatedEngineFactory.Provider) is { } model)
        {
            failures.Add(model);
        }

        if (options.EnableClassicPath && !string.IsNullOrWhiteSpace(options.ClassicModelPath)
            && ModelFolder.Problem(Path.GetFullPath(options.ClassicModelPath), "Inference:ClassicModelPath", tokenizer: false) is { } classic)
        {
            failures.Add(classic);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
