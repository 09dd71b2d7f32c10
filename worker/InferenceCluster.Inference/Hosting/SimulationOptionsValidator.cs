using System.ComponentModel.DataAnnotations;
using InferenceCluster.Inference.Simulation;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Inference.Hosting;

/// <summary>
/// Validates Inference:Simulation:* with the rest of the Inference section at start: data annotations do not
/// reach into nested settings, and a bad simulation setting must stop the process with a message naming it.
/// </summary>
internal sealed class SimulationOptionsValidator : IValidateOptions<InferenceOptions>
{
    public ValidateOptionsResult Validate(string? name, InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Simulation is null)
        {
            return ValidateOptionsResult.Fail($"{SimulationOptions.SectionName} must be an object of settings.");
        }

        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options.Simulation, new ValidationContext(options.Simulation), results, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? $"{SimulationOptions.SectionName} is invalid."));
    }
}
