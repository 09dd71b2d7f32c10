using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InferenceCluster.Sweep.Client;

/// <summary>
/// Posts non-streaming chat completions. Plain HttpClient rather than the OpenAI SDK so the wire
/// carries exactly the grid's fields (max_tokens, seed, top_k, repetition_penalty) with no
/// experimental APIs and no hidden retries; 429, 5xx and transport failures are retried here, visibly.
/// </summary>
internal sealed class ChatCompletionClient(HttpClient http, Uri baseUrl, string? apiKey)
{
    private const int Attempts = 3;
    private readonly Uri _endpoint = Endpoint(baseUrl);

    /// <summary>Sends the request; a 4xx other than 429, or a third 429/5xx, throws <see cref="SweepServerException"/>.</summary>
    public async Task<ChatResult> CompleteAsync(ChatRequest request, CancellationToken ct)
    {
        var body = Body(request).ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (!string.IsNullOrEmpty(apiKey))
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < Attempts)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new SweepServerException(null, $"{_endpoint} unreachable for {request.Point}: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}", e);
            }
            catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new SweepServerException(null, $"{_endpoint} did not answer within {http.Timeout.TotalSeconds:0} s (--request-timeout) for {request.Point}", e);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return Parse(text, request);
                }

                // Overload (429) and server faults are worth waiting for; other 4xx mean the settings are refused.
                var transient = (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
                if (transient && attempt < Attempts)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(attempt);
                    await Task.Delay(wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait, ct).ConfigureAwait(false);
                    continue;
                }

                throw new SweepServerException(response.StatusCode,
                    $"server answered {(int)response.StatusCode} {response.StatusCode} for {request.Point} seed={request.Seed}: {ErrorMessage(text)}");
            }
        }
    }

    /// <summary>The request body; public to the tests so the wire format is checked in one place.</summary>
    internal static JsonObject Body(ChatRequest r)
    {
        var body = new JsonObject
        {
            ["model"] = r.Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = r.Prompt }),
            ["temperature"] = r.Point.Temperature,
            ["top_p"] = r.Point.TopP,
            ["max_tokens"] = r.Point.MaxTokens,
            ["seed"] = r.Seed,
            ["repetition_penalty"] = r.Point.RepetitionPenalty,
            ["logprobs"] = true,
            ["top_logprobs"] = 2,
            ["stream"] = false,
        };
        if (r.Point.TopK is { } k)
        {
            body["top_k"] = k;
        }

        return body;
    }

    private static ChatResult Parse(string text, ChatRequest request)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var choice = doc.RootElement.GetProperty("choices")[0];
            var msg = choice.GetProperty("message");

            // A server that splits the reasoning out (reasoning_content) leaves only the answer in content.
            var content = msg.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
            var reasoning = msg.TryGetProperty("reasoning_content", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "unknown";
            var tokens = doc.RootElement.TryGetProperty("usage", out var u) && u.TryGetProperty("completion_tokens", out var ctk) ? ctk.GetInt32() : 0;
            return new ChatResult(content, finish, tokens, Margin(choice), reasoning);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new SweepServerException(HttpStatusCode.OK, $"unreadable completion for {request.Point}: {e.Message}", e);
        }
    }

    private static double? Margin(JsonElement choice)
    {
        if (!choice.TryGetProperty("logprobs", out var lp) || lp.ValueKind != JsonValueKind.Object
            || !lp.TryGetProperty("content", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        double sum = 0;
        var n = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            if (!token.TryGetProperty("top_logprobs", out var top) || top.ValueKind != JsonValueKind.Array || top.GetArrayLength() < 2)
            {
                continue;
            }

            var values = top.EnumerateArray().Select(t => t.GetProperty("logprob").GetDouble()).OrderDescending().ToArray();
            sum += values[0] - values[1];
            n++;
        }

        return n == 0 ? null : sum / n;
    }

    private static string ErrorMessage(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("error", out var e))
            {
                var msg = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : e.ToString();
                var param = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? $" (param: {p.GetString()})" : "";
                return msg + param;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw text is the best message there is.
        }

        return text.Length > 500 ? text[..500] : text;
    }

    private static Uri Endpoint(Uri baseUrl)
    {
        var s = baseUrl.ToString().TrimEnd('/');
        return new Uri(s.EndsWith("/v1", StringComparison.Ordinal) ? s + "/chat/completions" : s + "/v1/chat/completions");
    }
}
