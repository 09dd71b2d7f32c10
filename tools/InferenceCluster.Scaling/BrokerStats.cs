using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.Scaling;

/// <summary>What RabbitMQ's management API says: messages published so far and the consumers of a queue.</summary>
internal sealed class BrokerStats(HttpClient http, Uri management)
{
    private readonly AuthenticationHeaderValue _auth = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));

    /// <summary>
    /// Messages published since the broker started. The broker aggregates its counters every
    /// collect_statistics_interval (run.sh sets 1 s): this waits until two reads a little longer apart agree.
    /// </summary>
    public async Task<long> SettledPublishedAsync()
    {
        var last = -1L;
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
            var now = await PublishedAsync().ConfigureAwait(false);
            if (now == last)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    public async Task<long> PublishedAsync()
    {
        using var document = await GetAsync("api/overview").ConfigureAwait(false);
        return document.RootElement.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("publish", out var publish)
            ? publish.GetInt64()
            : 0;
    }

    /// <summary>Waits until the model's queue has <paramref name="consumers"/> consumers and holds no message.</summary>
    public async Task WaitForConsumersAsync(string queue, int consumers, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = -1;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var document = await GetAsync("api/queues/%2F/" + Uri.EscapeDataString(queue)).ConfigureAwait(false);
                // A just-declared queue has no statistics yet.
                seen = document.RootElement.TryGetProperty("consumers", out var count) ? count.GetInt32() : -1;
                if (seen == consumers)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The queue appears when the first worker declares it.
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        throw new TimeoutException($"Queue {queue} has {seen} consumers after {timeout.TotalSeconds:0} s; expected {consumers} (see the worker logs).");
    }

    private async Task<JsonDocument> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(management, path));
        request.Headers.Authorization = _auth;
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }
}
