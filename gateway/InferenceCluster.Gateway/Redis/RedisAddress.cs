using System.Net;
using InferenceCluster.ServiceDefaults;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Redis;

/// <summary>
/// Reads the Redis connection string (<c>ConnectionStrings:redis</c>) once, at start, so that a value naming no server
/// stops the gateway with an error naming the setting; the client itself drops an endpoint it cannot read without a
/// word and fails every later call instead.
/// </summary>
internal static class RedisAddress
{
    /// <summary>The setting's name as an environment variable, for error messages.</summary>
    public const string Variable = "ConnectionStrings__redis";

    /// <summary>The parsed configuration, or an error naming the setting; the value is never repeated, it may hold a password.</summary>
    public static ConfigurationOptions Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConfigurationOptions configuration;
        if (RedisUri.IsUri(connectionString))
        {
            configuration = RedisUri.Parse(connectionString, out var why) ?? throw Invalid(why!);
        }
        else
        {
            try
            {
                configuration = ConfigurationOptions.Parse(connectionString);
            }
            catch (ArgumentException)
            {
                throw Invalid("it holds an option the Redis client does not know or cannot read");
            }
        }

        if (configuration.EndPoints.Count == 0)
        {
            throw Invalid("it names no host:port");
        }

        // The client takes any text before the last ':' for a host name ("redis//:password@host" included), never
        // connects to it, and prints it, password and all, in each error.
        return configuration.EndPoints.All(IsHost) ? configuration : throw Invalid("a host name holds characters no host name has");
    }

    // Only characters that show URI text or a typo: a name such as compose's "redis_cache" stays the resolver's to judge.
    private static bool IsHost(EndPoint endpoint) =>
        endpoint is not DnsEndPoint named || named.Host.IndexOfAny(['@', '/', '?', '#', ':', ' ']) < 0;

    private static InvalidSettingException Invalid(string why) => new(
        $"{Variable} (configuration key ConnectionStrings:redis) must be a Redis connection string such as 127.0.0.1:6379, " +
        $"redis.example:6379,password=… or redis://:password@redis.example:6379; {why} (the value is not repeated here, as it may contain a password).");
}
