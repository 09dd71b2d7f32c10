using InferenceCluster.Inference;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Worker.Hosting;

/// <summary>
/// Loads the model before the host starts, so that GenAI's refusal is one line and an exit code, not the host's failure
/// to start with a stack trace: a folder whose files GenAI refuses (a corrupt model.onnx, a tokenizer it cannot read) is
/// an invalid setting (78); a load failure GenAI does not put on the folder's files (a device out of memory, a CUDA
/// fault) exits 75, for the supervisor to try again.
/// </summary>
internal sealed class EngineLoadCheck(IServiceProvider services) : IStartupCheck
{
    public void Check() => _ = services.GetService(typeof(IInferenceEngine));

    /// <summary>What a refused load is thrown as: the exception <c>InvalidConfigurationExit</c> gives the exit code of.</summary>
    public static Exception Failure(ModelLoadException exception) => exception.FolderFault
        ? new InvalidSettingException(exception.Message, exception)
        : new RestartableStartException(exception.Message, exception);
}
