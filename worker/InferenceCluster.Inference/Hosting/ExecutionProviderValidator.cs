using Microsoft.Extensions.Options;

namespace InferenceCluster.Inference.Hosting;

/// <summary>
/// Refuses <c>Inference:ExecutionProvider=cuda</c> at start on a build without CUDA (the default build references the CPU
/// package): GenAI's refusal of it ("Cuda interface not available") names no file of the model folder, so it was taken
/// for a fault a restart may mend (75) and the worker was started again for ever, where no restart gives the build CUDA.
/// The build says whether it has CUDA (-p:UseCuda=true defines USE_CUDA), so the check is exact, not read from a message.
/// </summary>
internal sealed class ExecutionProviderValidator(bool cudaBuild) : IValidateOptions<InferenceOptions>
{
    /// <summary>The provider that needs the CUDA build.</summary>
    public const string Cuda = "cuda";

    /// <summary>Whether this build references GenAI's CUDA package (built with -p:UseCuda=true).</summary>
    public const bool CudaBuild =
#if USE_CUDA
        true;
#else
        false;
#endif

    /// <summary>The check for this build.</summary>
    public ExecutionProviderValidator()
        : this(CudaBuild)
    {
    }

    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ExecutionProvider != Cuda || cudaBuild
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "Inference:ExecutionProvider: cuda needs a CUDA build, and this build has no CUDA (it references the CPU package "
                + "Microsoft.ML.OnnxRuntimeGenAI): set cpu, or build the worker with -p:UseCuda=true, which references "
                + "Microsoft.ML.OnnxRuntimeGenAI.Cuda (the GPU image of deploy/docker/compose.gpu.yml is built so).");
    }
}
