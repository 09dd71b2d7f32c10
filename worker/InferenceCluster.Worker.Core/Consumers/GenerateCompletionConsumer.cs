using InferenceCluster.Contracts;
using InferenceCluster.Worker.Execution;
using MassTransit;

namespace InferenceCluster.Worker.Consumers;

/// <summary>Takes a model's requests from its queue and runs them; acknowledged once the final result is sent.</summary>
internal sealed class GenerateCompletionConsumer : IConsumer<GenerateCompletion>
{
    private readonly CompletionRunner _runner;

    public GenerateCompletionConsumer(CompletionRunner runner) => _runner = runner;

    /// <inheritdoc />
    public Task Consume(ConsumeContext<GenerateCompletion> context) => _runner.RunAsync(context);
}
