using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace InferenceCluster.Scaling;

/// <summary>
/// Closed-loop load over the OpenAI API: each of N streams sends its next request as soon as the previous one
/// ended. Requests sample without a seed, so none is answered from the cache; min_tokens = max_tokens fixes
/// their length. The client reads as little as it can (no JSON parsing) so its own CPU stays small.
/// </summary>
internal sealed class LoadGenerator(HttpClient http, string model)
{
    private static readonly byte[] CompletionTokens = Encoding.UTF8.GetBytes("\"completion_tokens\":");

    /// <summary>Runs for warmup + measure seconds, then lets the requests in flight finish.</summary>
    public async Task<LoadResult> RunAsync(IReadOnlyList<Uri> gateways, int streams, int tokens, bool stream, double warmup, double measure)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + (long)(warmup * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(measure * Stopwatch.Frequency);
        var loops = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var samples = new List<RequestSample>();
            var body = Body(i, tokens, stream);
            var url = new Uri(gateways[i % gateways.Count], "v1/chat/completions");
            while (Stopwatch.GetTimestamp() < windowEnd)
            {
                samples.Add(await SendAsync(url, body, stream).ConfigureAwait(false));
            }

            return samples;
        })).ToList();
        var all = await Task.WhenAll(loops).ConfigureAwait(false);
        return new LoadResult(all.SelectMany(s => s).ToList(), windowStart, windowEnd);
    }

    /// <summary>A fixed number of requests, <paramref name="streams"/> at a time, all of them measured.</summary>
    public async Task<LoadResult> RunCountAsync(Uri gateway, int streams, int requests, int tokens, bool stream)
    {
        var left = requests;
        var start = Stopwatch.GetTimestamp();
        var loops = Enumerable.Range(0, streams).Select(i => Task.Run(async () =>
        {
            var samples = new List<RequestSample>();
            var body = Body(i, tokens, stream);
            var url = new Uri(gateway, "v1/chat/completions");
            while (Interlocked.Decrement(ref left) >= 0)
            {
                samples.Add(await SendAsync(url, body, stream).ConfigureAwait(false));
            }

            return samples;
        })).ToList();
        var all = await Task.WhenAll(loops).ConfigureAwait(false);
        return new LoadResult(all.SelectMany(s => s).ToList(), start, Stopwatch.GetTimestamp());
    }

    private string Body(int stream, int tokens, bool streamed) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Stream {{stream}}: tell me about the history of the printing press."}],"temperature":0.7,"max_tokens":{{tokens}},"min_tokens":{{tokens}},"stream":{{(streamed ? "true" : "false")}}{{(streamed ? ",\"stream_options\":{\"include_usage\":true}" : "")}}}""");

    private async Task<RequestSample> SendAsync(Uri url, string body, bool stream)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);

            // The gateway holds a stream's headers until the first reply from the worker, so they mark the first token.
            var firstByte = Stopwatch.GetTimestamp();
            await using var content = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var text = await ReadAsync(content).ConfigureAwait(false);
            var end = Stopwatch.GetTimestamp();
            if (!response.IsSuccessStatusCode)
            {
                return new RequestSample(started, end, end, 0, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(text)[..Math.Min(300, text.Length)]}");
            }

            var tokens = LastCompletionTokens(text);
            return tokens < 0
                ? new RequestSample(started, firstByte, end, 0, "no usage in the response: " + Encoding.UTF8.GetString(text[^Math.Min(300, text.Length)..]))
                : new RequestSample(started, firstByte, end, tokens, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException)
        {
            var end = Stopwatch.GetTimestamp();
            return new RequestSample(started, end, end, 0, exception.Message);
        }
    }

    private static async Task<byte[]> ReadAsync(Stream content)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await content.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            // Only the tail can hold the usage; keep memory flat on long streams.
            if (buffer.Length > 64 * 1024)
            {
                var tail = buffer.ToArray()[^4096..];
                buffer.SetLength(0);
                buffer.Write(tail);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static int LastCompletionTokens(byte[] text)
    {
        var at = text.AsSpan().LastIndexOf(CompletionTokens);
        if (at < 0)
        {
            return -1;
        }

        var span = text.AsSpan(at + CompletionTokens.Length);
        var value = 0;
        var digits = 0;
        while (digits < span.Length && span[digits] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (span[digits++] - '0');
        }

        return digits == 0 ? -1 : value;
    }
}
