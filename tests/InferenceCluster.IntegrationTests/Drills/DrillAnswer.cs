using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>What a client of a drill received: status, text, usage, a stream's error event, timings.</summary>
internal sealed class DrillAnswer
{
    private readonly StringBuilder _text = new();

    public required DrillRequest Request { get; init; }

    public int Status { get; private set; }

    /// <summary>The request id the gateway gave the request (from the response's <c>id</c>), as workers log it.</summary>
    public string? RequestId { get; private set; }

    public string Text => _text.ToString();

    /// <summary>Content chunks received (streamed) so far.</summary>
    public int Chunks { get; private set; }

    public int? CompletionTokens { get; private set; }

    public int? PromptTokens { get; private set; }

    public string? FinishReason { get; private set; }

    /// <summary>The answer's <c>X-Inference-Cache</c> (<c>hit</c>, <c>miss</c>, <c>partial</c>, <c>bypass</c>), when it has one.</summary>
    public string? Cache { get; private set; }

    /// <summary>The error object of a failed request or of an error event inside a stream.</summary>
    public string? Error { get; private set; }

    /// <summary>When the request was sent (UTC).</summary>
    public DateTime StartedAt { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public DateTime EndedAt => StartedAt + Elapsed;

    /// <summary>True when a stream ended with <c>data: [DONE]</c>, after an error event or not.</summary>
    public bool Done { get; private set; }

    /// <summary>True when the request got 200 and ended normally with "stop" or "length" (and [DONE] when streamed).</summary>
    public bool Succeeded { get; private set; }

    public override string ToString() =>
        $"{Request.Label}: {Status}, {Text.Length} chars, {CompletionTokens} tokens, finish {FinishReason}, error {Error ?? "none"}";

    public static async Task<DrillAnswer> ReadAsync(
        HttpClient http, string model, DrillRequest request, Action<DrillAnswer>? onText, CancellationToken cancellationToken)
    {
        var answer = new DrillAnswer { Request = request, StartedAt = DateTime.UtcNow };
        var clock = Stopwatch.StartNew();
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent(request.Body(model), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            answer.Status = (int)response.StatusCode;
            answer.Cache = response.Headers.TryGetValues("X-Inference-Cache", out var cache) ? cache.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode || !request.Stream)
            {
                answer.ReadWhole(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            else
            {
                await answer.ReadStreamAsync(response, onText, cancellationToken);
            }
        }
        catch (HttpRequestException error)
        {
            answer.Error ??= $"connection: {error.Message}";
        }
        catch (IOException error)
        {
            answer.Error ??= $"connection: {error.Message}";
        }
        catch (TaskCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            answer.Error ??= $"no answer within the client's timeout ({http.Timeout.TotalSeconds:0} s): {error.Message}";
        }
        catch (JsonException error)
        {
            answer.Error ??= $"not an OpenAI answer: {error.Message}";
        }

        answer.Elapsed = clock.Elapsed;
        return answer;
    }

    private void ReadWhole(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            Error = error.GetRawText();
            return;
        }

        ReadId(root);
        var choice = root.GetProperty("choices")[0];
        _text.Append(choice.GetProperty("message").GetProperty("content").GetString());
        FinishReason = choice.GetProperty("finish_reason").GetString();
        ReadUsage(root);
        Succeeded = Status == 200 && EndedNormally;
    }

    private async Task ReadStreamAsync(HttpResponseMessage response, Action<DrillAnswer>? onText, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var done = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                done = true;
                Done = true;
                break;
            }

            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                Error = error.GetRawText();
                continue;
            }

            ReadUsage(root);
            ReadId(root);
            foreach (var choice in root.GetProperty("choices").EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                    && content.GetString() is { Length: > 0 } text)
                {
                    _text.Append(text);
                    Chunks++;
                    onText?.Invoke(this);
                }

                if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                {
                    FinishReason = finish.GetString();
                }
            }
        }

        Succeeded = done && Error is null && EndedNormally;
    }

    private bool EndedNormally => FinishReason is "stop" or "length";

    private void ReadId(JsonElement root)
    {
        if (RequestId is null && root.TryGetProperty("id", out var id) && id.GetString() is { } value
            && Guid.TryParseExact(value["chatcmpl-".Length..], "N", out var requestId))
        {
            RequestId = requestId.ToString();
        }
    }

    private void ReadUsage(JsonElement root)
    {
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            CompletionTokens = usage.GetProperty("completion_tokens").GetInt32();
            PromptTokens = usage.GetProperty("prompt_tokens").GetInt32();
        }
    }
}
