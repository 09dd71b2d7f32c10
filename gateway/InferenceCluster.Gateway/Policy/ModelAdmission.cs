using System.Collections.Concurrent;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Bounds the requests per model this gateway instance has in flight (<c>Gateway:MaxQueuedPerModel</c>):
/// beyond it a client gets 429 at once instead of waiting in a queue it cannot see the end of.
/// </summary>
internal sealed class ModelAdmission
{
    /// <summary>What a refused client is told to wait; a generation slot frees within seconds.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, StrongBox> _inFlight = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<PolicyOptions> _options;

    public ModelAdmission(IOptionsMonitor<PolicyOptions> options)
    {
        _options = options;
        GatewayMetrics.TrackInFlight(this, () => _inFlight.Select(entry => KeyValuePair.Create(entry.Key, Volatile.Read(ref entry.Value.Value))));
    }

    /// <summary>Slots per model, 0 for no limit. Every choice of a request takes one, so a request with more choices could never be admitted.</summary>
    public int Limit => _options.CurrentValue.MaxQueuedPerModel;

    /// <summary>Takes a slot for the model (dispose to free it) or throws 429.</summary>
    public IDisposable Enter(string model)
    {
        var limit = _options.CurrentValue.MaxQueuedPerModel;
        var count = _inFlight.GetOrAdd(model, _ => new StrongBox());
        var now = Interlocked.Increment(ref count.Value);
        if (limit > 0 && now > limit)
        {
            Interlocked.Decrement(ref count.Value);
            throw new OpenAIException(
                StatusCodes.Status429TooManyRequests,
                $"The model '{model}' has {limit} requests in flight at this gateway, its limit; retry shortly.",
                RateLimitErrors.Type,
                null,
                RateLimitErrors.QueueFullCode)
            {
                RetryAfter = RetryAfter,
            };
        }

        return new Slot(count);
    }

    private sealed class StrongBox
    {
        public int Value;
    }

    private sealed class Slot(StrongBox count) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref count.Value);
            }
        }
    }
}
