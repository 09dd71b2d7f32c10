using System.Diagnostics;
using System.Text.RegularExpressions;
using InferenceCluster.IntegrationTests.Cluster;

namespace InferenceCluster.IntegrationTests.Telemetry;

/// <summary>
/// The gateway's /metrics and every worker's metrics listener, scraped over HTTP as Prometheus does: the
/// GenAI conventions' metrics and the cluster's own are there and move when a request runs. (The cluster's
/// services share this test process, so each endpoint also shows the others' in-process meters; what is
/// asserted per endpoint is what that service must serve.)
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class MetricsScrapeTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly (string Name, string Value) Model = ("gen_ai_request_model", ClusterFixture.Model);

    // Counters of events a plain request does not cause; they appear in a scrape from their first occurrence.
    private static readonly string[] OnlyOnceItHappens =
    [
        "inference_cluster_gateway_rate_limited_total",
        "inference_cluster_gateway_cancellations_total",
        "inference_cluster_worker_redeliveries_total",
        "inference_cluster_cache_errors_total",
    ];

    [Fact]
    public async Task Scrape_AfterARequest_GatewayCountsItsOperationTokensAndCacheLookup()
    {
        var gateway = new Uri(cluster.Http.BaseAddress!, "/metrics");
        var before = await PrometheusScrape.FetchAsync(cluster.Http, gateway);

        await cluster.Chat.CompleteChatAsync(Chat.User("Name a metric nobody scraped yet."), Chat.Greedy(maxTokens: 12));

        var after = await ScrapeUntilAsync(gateway, before, "gen_ai_client_operation_duration_seconds_count", Model);
        Assert.True(Moved(before, after, "gen_ai_client_operation_duration_seconds_count", Model, ("gen_ai_operation_name", "chat")));
        Assert.True(Moved(before, after, "gen_ai_client_token_usage_count", Model, ("gen_ai_token_type", "input")));
        Assert.True(Moved(before, after, "gen_ai_client_token_usage_sum", Model, ("gen_ai_token_type", "output")));
        Assert.True(Moved(before, after, "inference_cluster_cache_lookups_total", Model, ("inference_cluster_cache_result", "miss")));
        Assert.True(Moved(before, after, "inference_cluster_stability_answers_total", Model, ("inference_cluster_temperature_band", "greedy")));
        Assert.True(Moved(before, after, "inference_cluster_stability_output_tokens_count", Model, ("inference_cluster_profile", "none")));
        Assert.Contains("inference_cluster_gateway_requests_in_flight", after.Names);
    }

    [Fact]
    public async Task Scrape_AfterRequests_EveryWorkerServesTheGenAiServerAndEngineMetrics()
    {
        var scrapes = new List<(Uri Endpoint, PrometheusScrape Before)>();
        foreach (var worker in cluster.Workers)
        {
            var endpoint = new Uri(worker.MetricsAddress, "/metrics");
            scrapes.Add((endpoint, await PrometheusScrape.FetchAsync(cluster.Http, endpoint)));
        }

        // Several at once, so both workers take some and a step batches more than one.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            cluster.Chat.CompleteChatAsync(Chat.User($"Worker metrics, question {i}."), Chat.Sampled(0.8, maxTokens: 16))));

        foreach (var (endpoint, before) in scrapes)
        {
            var after = await ScrapeUntilAsync(endpoint, before, "gen_ai_server_request_duration_seconds_count", Model);
            Assert.True(Moved(before, after, "gen_ai_server_time_to_first_token_seconds_count", Model));
            Assert.True(Moved(before, after, "gen_ai_server_time_per_output_token_seconds_count", Model));
            Assert.True(Moved(before, after, "inference_cluster_queue_wait_seconds_count", Model));
            Assert.True(Moved(before, after, "inference_cluster_worker_tokens_total", Model, ("gen_ai_token_type", "output")));
            Assert.True(Moved(before, after, "inference_cluster_engine_batch_occupancy_count", Model));
            Assert.Contains("inference_cluster_worker_requests_running", after.Names);
            Assert.Contains("inference_cluster_worker_requests_waiting", after.Names);
            Assert.Contains("inference_cluster_engine_kv_blocks_in_use", after.Names);
            Assert.True(after.Sum("inference_cluster_engine_kv_blocks_capacity", Model) > 0);
        }
    }

    [Fact]
    public async Task GrafanaDashboard_QueriesOnlyMetricsTheServicesServe()
    {
        // With log-probabilities, so the margin signal has an answer to measure.
        var options = Chat.Sampled(0.6, maxTokens: 8);
        options.IncludeLogProbabilities = true;
        options.TopLogProbabilityCount = 2;
        await cluster.Chat.CompleteChatAsync(Chat.User("Which metrics does the dashboard draw?"), options);
        var served = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in cluster.Workers.Select(worker => new Uri(worker.MetricsAddress, "/metrics")).Append(new Uri(cluster.Http.BaseAddress!, "/metrics")))
        {
            served.UnionWith((await PrometheusScrape.FetchAsync(cluster.Http, endpoint)).Names);
        }

        var dashboard = File.ReadAllText(Path.Combine(Deploy.DeployFiles.Root, "deploy", "monitoring", "grafana", "dashboards", "inference-cluster.json"));
        var queried = MetricName().Matches(dashboard).Select(match => match.Value).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(queried);
        Assert.All(queried.Except(OnlyOnceItHappens), name => Assert.Contains(name, served));
    }

    [Fact]
    public async Task WorkerListener_AnswersTheHealthProbes()
    {
        foreach (var worker in cluster.Workers)
        {
            using var live = await cluster.Http.GetAsync(new Uri(worker.MetricsAddress, "/health/live"));
            Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
        }
    }

    private static bool Moved(PrometheusScrape before, PrometheusScrape after, string name, params (string Name, string Value)[] labels) =>
        after.Sum(name, labels) > before.Sum(name, labels);

    /// <summary>Scrapes until <paramref name="name"/> has moved: the exporter may answer from a short-lived cache.</summary>
    private async Task<PrometheusScrape> ScrapeUntilAsync(Uri endpoint, PrometheusScrape before, string name, params (string Name, string Value)[] labels)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var after = await PrometheusScrape.FetchAsync(cluster.Http, endpoint);
            if (Moved(before, after, name, labels) || watch.Elapsed > Patience)
            {
                return after;
            }

            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"\b(gen_ai|inference_cluster)_[a-z0-9_]+(?=\{)")]
    private static partial Regex MetricName();
}
