using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Workers;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// The models this gateway serves: those live workers announce, plus those of YARP routes that match
/// a model header and forward to a cluster with HTTP destinations.
/// </summary>
internal sealed class ModelCatalog(WorkerRegistry workers, IProxyStateLookup proxy, TimeProvider time, IOptionsMonitor<PolicyOptions> policy)
{
    /// <summary>
    /// One served model; a model announced whose workers have all gone is a 503, as a request for it is; otherwise the
    /// error of <see cref="NotServed"/>. A 'model:profile' id that requests may use is a served model too, under the id
    /// asked for, so a client that checks its configured model before using it finds it; profiles apply to the worker
    /// pool's models only, so a forwarded model's id is looked up as sent.
    /// </summary>
    public ModelDto Get(string id)
    {
        var servedId = ModelProfile.ServedId(id, policy.CurrentValue.Profiles);
        if (!string.Equals(servedId, id, StringComparison.Ordinal) && !workers.Find(servedId).IsKnown)
        {
            servedId = id;
        }

        var model = List().Data.FirstOrDefault(model => string.Equals(model.Id, servedId, StringComparison.Ordinal));
        if (model is null)
        {
            throw workers.Find(servedId).IsKnown ? OpenAIException.NoLiveWorker(id) : NotServed(id);
        }

        return model with { Id = id };
    }

    /// <summary>
    /// The answer to a model that is neither announced by a worker nor forwarded: 404 <c>model_not_found</c> once the
    /// gateway has heard every live worker, 503 <c>model_unavailable</c> while it may not have yet.
    /// </summary>
    public OpenAIException NotServed(string id)
    {
        if (workers.Discovering() is not { } discovery)
        {
            return OpenAIException.ModelNotFound(id);
        }

        var now = time.GetUtcNow();
        return OpenAIException.ModelNotHeardYet(id, now - discovery.Since, discovery.Until - now);
    }

    public ModelList List()
    {
        var models = new Dictionary<string, ModelDto>(StringComparer.Ordinal);
        foreach (var (modelId, firstSeen) in workers.LiveModels())
        {
            models[modelId] = new ModelDto(modelId, "model", firstSeen.ToUnixTimeSeconds(), "inference-cluster");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var route in proxy.GetRoutes())
        {
            var config = route.Config;
            if (config.ClusterId is null
                || !proxy.TryGetCluster(config.ClusterId, out var cluster)
                || ModelRouting.IsQueueCluster(cluster.Model.Config.Metadata)
                || cluster.Model.Config.Destinations is not { Count: > 0 })
            {
                continue;
            }

            var ownedBy = config.Metadata?.GetValueOrDefault(ModelRouting.OwnedByMetadataKey) ?? config.ClusterId;
            var modelHeaders = config.Match.Headers?
                .Where(header => string.Equals(header.Name, ModelRouting.ModelHeader, StringComparison.OrdinalIgnoreCase))
                .SelectMany(header => header.Values ?? []) ?? [];
            foreach (var model in modelHeaders)
            {
                models.TryAdd(model, new ModelDto(model, "model", now, ownedBy));
            }
        }

        return new ModelList("list", [.. models.Values.OrderBy(model => model.Id, StringComparer.Ordinal)]);
    }
}
