using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Inference.Hosting;

/// <summary>Settings of the inference engine (configuration section "Inference").</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>Model folder (genai_config.json, tokenizer, model.onnx). Empty = the bundled tiny test model (paged layout).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Id requests address the model by. Empty = the folder name, or "deepseek-r1-test-tiny" for the test model.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// "cpu" (default), "cuda" (needs the build made with -p:UseCuda=true) or "simulated": no weights loaded, tokens
    /// paced by the step-time model of <see cref="Simulation"/> (load and scaling tests without a GPU).
    /// </summary>
    [Required(ErrorMessage = "Inference:ExecutionProvider must be 'cpu', 'cuda' or 'simulated'.")]
    [RegularExpression("^(cpu|cuda|simulated)$", ErrorMessage = "Inference:ExecutionProvider must be 'cpu', 'cuda' or 'simulated'.")]
    public string ExecutionProvider { get; set; } = "cpu";

    /// <summary>Requests run at once (the engine's batch size and the admission permit count).</summary>
    [Range(1, 256, ErrorMessage = "Inference:MaxConcurrency must be between 1 and 256.")]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>A request that produces no token for this long is failed (guards against stuck guided turns).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Inference:NoProgressTimeout must be between 1 second and 1 hour.")]
    public TimeSpan NoProgressTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Threads ONNX Runtime uses inside one model run (the model's <c>intra_op_num_threads</c>), for the
    /// engine and the classic path alike. 0 keeps GenAI's default, half the logical cores, which
    /// assumes two hardware threads per core. More threads pay off when a step's matrices are large
    /// enough to split; on tiny models their synchronisation costs more than it saves.
    /// </summary>
    [Range(0, 256, ErrorMessage = "Inference:IntraOpThreads must be between 0 (GenAI's default) and 256.")]
    public int IntraOpThreads { get; set; }

    /// <summary>Events GenAI may hand back per engine step.</summary>
    [Range(16, 65536, ErrorMessage = "Inference:EventBufferCapacity must be between 16 and 65536.")]
    public int EventBufferCapacity { get; set; } = 1024;

    /// <summary>
    /// Serve log-probabilities and (on static-batching models) seeded sampling with a classic
    /// per-request Generator, which loads a second copy of the weights on first use. When false,
    /// such requests are rejected naming the parameter.
    /// </summary>
    public bool EnableClassicPath { get; set; } = true;

    /// <summary>
    /// Standard-layout folder of the same model for the classic path when <see cref="ModelPath"/> is a
    /// paged (dynamic batching) model, whose graph a classic Generator cannot run. Empty: the model
    /// folder itself for standard models, the bundled standard layout for the test model; otherwise
    /// log-probabilities are rejected on a paged model.
    /// </summary>
    public string? ClassicModelPath { get; set; }

    /// <summary>The simulated accelerator's step-time model, used when <see cref="ExecutionProvider"/> is "simulated".</summary>
    public Simulation.SimulationOptions Simulation { get; set; } = new();
}
