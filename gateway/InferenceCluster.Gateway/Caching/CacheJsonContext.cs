using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.Caching;

/// <summary>Source-generated serialisation of cache entries (stored in Redis).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CachedCompletion))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
