using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>Sends chat completions as any OpenAI client would and judges each answer complete or not.</summary>
internal static class Completions
{
    /// <summary>A greedy request for <paramref name="prompt"/>; streamed answers must end with a finish reason and [DONE].</summary>
    public static async Task<RequestOutcome> SendAsync(HttpClient http, string prompt, bool stream, int maxTokens, Stopwatch clock)
    {
        var startedAt = clock.Elapsed;
        var body = JsonSerializer.Serialize(new
        {
            model = DrillCluster.Model,
            messages = new[] { new { role = "user", content = prompt } },
            temperature = 0,
            max_tokens = maxTokens,
            stream,
        });
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync("/v1/chat/completions", content);
            var text = await response.Content.ReadAsStringAsync();
            var failure = (int)response.StatusCode != 200 ? $"{(int)response.StatusCode}: {text}" : stream ? JudgeStream(text) : JudgeJson(text);
            return new RequestOutcome(startedAt, clock.Elapsed - startedAt, (int)response.StatusCode, failure);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return new RequestOutcome(startedAt, clock.Elapsed - startedAt, 0, ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static string? JudgeJson(string text)
    {
        using var answer = JsonDocument.Parse(text);
        var choice = answer.RootElement.GetProperty("choices")[0];
        return choice.GetProperty("finish_reason").GetString() is "stop" or "length" ? null : $"unfinished answer: {text}";
    }

    private static string? JudgeStream(string text)
    {
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.StartsWith("data: ", StringComparison.Ordinal) ? line["data: ".Length..] : line)
            .ToList();
        if (events.Count == 0 || events[^1] != "[DONE]")
        {
            return $"stream without [DONE]: {text}";
        }

        foreach (var payload in events.Take(events.Count - 1))
        {
            using var chunk = JsonDocument.Parse(payload);
            if (chunk.RootElement.TryGetProperty("error", out _))
            {
                return $"error event: {payload}";
            }

            if (chunk.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
            {
                return null;
            }
        }

        return $"stream without a finish reason: {text}";
    }
}
