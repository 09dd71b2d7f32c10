using System.Threading.RateLimiting;
using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Auth;

/// <summary>
/// One fixed one-minute window per API key (<c>Policy:RequestsPerMinute</c>), partitioned by key name.
/// Requests are not queued: a client over its rate gets 429 with the time until the window turns.
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<ApiKeyIdentity> _limiter = PartitionedRateLimiter.Create<ApiKeyIdentity, string>(identity =>
        identity.Policy.RequestsPerMinute is { } perMinute
            ? RateLimitPartition.GetFixedWindowLimiter(
                $"{identity.Name}/{perMinute}",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true })
            : RateLimitPartition.GetNoLimiter(identity.Name));

    /// <summary>Null when the request may go on, else how long the client should wait.</summary>
    public TimeSpan? TryAcquire(ApiKeyIdentity identity)
    {
        using var lease = _limiter.AttemptAcquire(identity);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
