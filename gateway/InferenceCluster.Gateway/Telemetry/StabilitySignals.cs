using System.Diagnostics;
using System.Diagnostics.Metrics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.ServiceDefaults.Telemetry;

namespace InferenceCluster.Gateway.Telemetry;

/// <summary>
/// The signals a sampling configuration drifts on, per model, profile and temperature band, for every answer
/// a worker generated (cached answers are repeats and do not count): how it ended (the share cut by
/// max_tokens), its length, whether a reasoning model closed its reasoning, how much it repeats itself, and
/// how sure the model was (top-1 minus top-2 log-probability, where log-probabilities were computed).
/// </summary>
internal static class StabilitySignals
{
    private static readonly Meter Meter = new(GatewayTelemetry.SourceName);

    private static readonly Counter<long> Answers = Meter.CreateCounter<long>(
        "inference_cluster.stability.answers", "{answer}", "Generated answers, by finish reason: length over all is the share cut by max_tokens.");

    private static readonly Histogram<long> OutputTokens = Meter.CreateHistogram(
        "inference_cluster.stability.output_tokens", "{token}", "Output tokens per generated answer (mean and p95 from the buckets).",
        advice: MetricBuckets.Tokens);

    private static readonly Counter<long> Reasoning = Meter.CreateCounter<long>(
        "inference_cluster.stability.reasoning", "{answer}", "Chat answers of reasoning models, by whether they closed their reasoning (</think>).");

    private static readonly Histogram<double> Repetition = Meter.CreateHistogram(
        "inference_cluster.stability.repetition", "1", "Share of an answer's word 4-grams that already occurred earlier in it.",
        advice: MetricBuckets.Ratio);

    private static readonly Histogram<double> LogprobMargin = Meter.CreateHistogram(
        "inference_cluster.stability.logprob_margin", "1", "Mean top-1 minus top-2 log-probability over an answer's tokens (requests with top_logprobs >= 2).",
        advice: MetricBuckets.Nats);

    /// <summary>
    /// Records one answer a worker generated; the caller leaves out cached and cancelled ones. Pass
    /// <paramref name="reasoningChat"/> for a chat turn (not a raw prompt) of a reasoning model, which opens with &lt;think&gt;.
    /// </summary>
    public static void Record(
        string model,
        string? profile,
        GenerationConfig config,
        FinishReason finishReason,
        int outputTokens,
        string text,
        IReadOnlyList<TokenLogprob>? logprobs,
        bool reasoningChat)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(text);
        var tags = new TagList
        {
            { TelemetryAttributes.RequestModel, model },
            { TelemetryAttributes.Profile, profile ?? "none" },
            { TelemetryAttributes.TemperatureBand, TemperatureBand.Of(config.DoSample, config.Temperature) },
        };

        var ended = tags;
        ended.Add(TelemetryAttributes.ResponseFinishReasons, ChatIds.FinishReason(finishReason));
        Answers.Add(1, ended);
        OutputTokens.Record(outputTokens, tags);

        // Guided output is not opened with <think>, so only plain chat turns can close it.
        if (reasoningChat && config.Guidance is null)
        {
            var closed = tags;
            closed.Add("inference_cluster.reasoning.closed", text.Contains("</think>", StringComparison.Ordinal));
            Reasoning.Add(1, closed);
        }

        if (RepetitionRate.Of(text) is { } repetition)
        {
            Repetition.Record(repetition, tags);
        }

        if (MeanMargin(logprobs) is { } margin)
        {
            LogprobMargin.Record(margin, tags);
        }
    }

    /// <summary>Mean top-1 minus top-2 log-probability over the positions that carry two alternatives or more.</summary>
    internal static double? MeanMargin(IReadOnlyList<TokenLogprob>? logprobs)
    {
        if (logprobs is null)
        {
            return null;
        }

        double sum = 0;
        var count = 0;
        foreach (var position in logprobs)
        {
            if (position.Top.Count < 2)
            {
                continue;
            }

            var best = double.NegativeInfinity;
            var second = double.NegativeInfinity;
            foreach (var alternative in position.Top)
            {
                if (alternative.Logprob > best)
                {
                    (best, second) = (alternative.Logprob, best);
                }
                else if (alternative.Logprob > second)
                {
                    second = alternative.Logprob;
                }
            }

            sum += best - second;
            count++;
        }

        return count == 0 ? null : sum / count;
    }
}
