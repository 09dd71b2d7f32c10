using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace InferenceCluster.ServiceDefaults.Listener;

/// <summary>
/// A small Kestrel server inside a Generic Host (the worker) that serves the host's own Prometheus
/// scrape endpoint and health checks, so a worker is scraped and probed like the gateway.
/// </summary>
public sealed partial class MetricsListener(
    IServiceProvider services, IOptions<MetricsListenerOptions> options, ILogger<MetricsListener> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The address actually listened on (with the real port when 0 was configured); null before start.</summary>
    public Uri? Address { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.WebHost.UseUrls(options.Value.Url);

        // The checks and the meter provider are the host's own: this server only exposes them.
        web.Services.AddSingleton(services.GetRequiredService<HealthCheckService>());
        var app = web.Build();
        app.MapPrometheusScrapingEndpoint(ServiceDefaultsExtensions.MetricsPath, services.GetRequiredService<MeterProvider>(), configureBranchedPipeline: null, optionsName: null);
        app.MapHealthEndpoints();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Cannot serve metrics on {options.Value.Url}: {ex.Message} Choose another port with MetricsPort (0 = any free port).", ex);
        }

        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Value.Url;
        Address = new Uri(bound.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        LogListening(new Uri(Address, "/metrics"));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics on {MetricsUrl}, health on /health/live and /health/ready of the same address")]
    private partial void LogListening(Uri metricsUrl);
}
