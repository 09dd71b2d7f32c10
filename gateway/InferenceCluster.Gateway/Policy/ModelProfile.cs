using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// The profile convention: <c>model:profile</c> (e.g. <c>deepseek-r1-test-tiny:math</c>). A suffix passes
/// through unmodified OpenAI SDKs, which a new body field or header would not. Routing uses the base id
/// (<see cref="Model"/>); the profile's <see cref="Settings"/> fill what the request leaves unset.
/// </summary>
internal sealed record ModelProfile(string Model, string? Name, SamplingSettings? Settings)
{
    public const char Separator = ':';

    public static (string Model, string? Profile) Split(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var index = model.LastIndexOf(Separator);
        return index < 0 ? (model, null) : (model[..index], model[(index + 1)..]);
    }

    /// <summary>
    /// The base model and profile <paramref name="requestedModel"/> names. A suffix that names no configured profile
    /// belongs to the id when a served model has that id; otherwise it is a 400 listing the profiles there are.
    /// </summary>
    public static ModelProfile Find(string requestedModel, IReadOnlyDictionary<string, SamplingSettings> profiles, WorkerRegistry workers)
    {
        ArgumentNullException.ThrowIfNull(requestedModel);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(workers);
        var (model, profileName) = Split(requestedModel);
        if (profileName is not null && !profiles.ContainsKey(profileName) && workers.Find(requestedModel).IsKnown)
        {
            // A colon that belongs to a served model's own id (e.g. 'qwen:7b'), not a profile suffix.
            (model, profileName) = (requestedModel, null);
        }

        SamplingSettings? profile = null;
        if (profileName is not null && !profiles.TryGetValue(profileName, out profile))
        {
            var known = profiles.Count == 0 ? "none are configured" : "known: " + string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal));
            throw new OpenAIException(
                StatusCodes.Status400BadRequest,
                $"The profile '{profileName}' in model '{requestedModel}' does not exist ({known}).",
                OpenAIException.InvalidRequestType,
                "model",
                "profile_not_found");
        }

        return model.Length == 0
            ? throw OpenAIException.InvalidValue("model", $"'{requestedModel}' names a profile but no model.")
            : new ModelProfile(model, profileName, profile);
    }
}
