using InferenceCluster.Settings;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.Endpoints;
using InferenceCluster.Gateway.Hosting;
using InferenceCluster.Gateway.Liveness;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Playground;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Redis;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Routing;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Transport;
using InferenceCluster.Gateway.Workers;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;

// In the hosting namespace so that Program.cs finds these without a using, like AddServiceDefaults.
namespace Microsoft.Extensions.Hosting;

/// <summary>The gateway's wiring: services, bus, YARP, and the HTTP pipeline.</summary>
public static class InferenceGatewayExtensions
{
    /// <summary>
    /// Adds the gateway: options (<c>Gateway</c>, <c>Gateway:Defaults</c>, validated at start), YARP from
    /// the <c>ReverseProxy</c> section, the MassTransit bus, and the edge services.
    /// </summary>
    public static IInferenceGatewayBuilder AddInferenceGateway(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        services.AddOptions<GatewayOptions>()
            .BindNamingKeys(builder.Configuration.GetSection(GatewayOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SamplingSettings>()
            .BindNamingKeys(builder.Configuration.GetSection(SamplingDefaultsValidator.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SamplingSettings>, SamplingDefaultsValidator>();

        services.AddOptions<PolicyOptions>()
            .BindNamingKeys(builder.Configuration.GetSection(PolicyOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<GenerationPolicy>();
        services.AddSingleton<ModelAdmission>();
        services.AddHostedService<OpenModeWarning>();
        services.AddKestrelRejectionAnswers();

        services.AddOptions<PlaygroundOptions>()
            .BindNamingKeys(builder.Configuration.GetSection(PlaygroundOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlaygroundOptions>, PlaygroundOptionsValidator>();
        services.AddSingleton<PlaygroundSettings>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICompletionCache, NoCompletionCache>();
        services.AddSingleton<WorkerRegistry>();
        services.AddSingleton<HeartbeatReception>();
        services.AddSingleton<PendingCompletions>();
        services.AddSingleton<ReplyEndpoint>();
        services.AddSingleton<BusConnection>();
        if (BrokerAddress.Read(builder.Configuration) is { } broker)
        {
            services.AddHostedService(provider => ActivatorUtilities.CreateInstance<QueueDepthMonitor>(provider, broker));
        }

        services.AddHostedService<GatewayHeartbeatService>();

        // On SIGTERM the web server stops first (it is registered last): it refuses new connections and waits
        // for open requests up to this timeout, while the bus, which carries their replies, still runs. Requests still
        // open when the grace is over are ended with an error (DrainEnd) in the time the server waits beyond it.
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>((host, gateway) =>
            host.ShutdownTimeout = gateway.Value.DrainGrace + DrainEnd.WriteTime);
        services.AddSingleton<DrainEnd>();
        services.AddSingleton<CompletionDispatcher>();
        services.AddSingleton<ChoiceLauncher>();
        services.AddSingleton<ReasoningSeal>();
        services.AddSingleton<ModelCatalog>();

        services.AddHealthChecks()
            .AddCheck<LiveWorkersHealthCheck>("live-workers", tags: [HealthCheckTags.Ready])
            .AddCheck<BusConnectedHealthCheck>("bus-connected", tags: [HealthCheckTags.Ready])
            .AddCheck<NotStoppingHealthCheck>("not-stopping", tags: [HealthCheckTags.Ready]);
        ReverseProxySettings.CheckDestinations(builder.Configuration.GetSection(ReverseProxySettings.SectionName));
        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection(ReverseProxySettings.SectionName))
            .AddTransforms(transforms =>
            {
                // The model header is the gateway's own routing signal: no upstream should see it.
                transforms.AddRequestHeaderRemove(ModelRouting.ModelHeader);

                // An upstream's rate headers describe the gateway's own account there, which every tenant shares: no
                // client sees them. A key with a rate gets its own (ApiKeyMiddleware).
                transforms.AddResponseTransform(context =>
                {
                    var headers = context.HttpContext.Response.Headers;
                    foreach (var name in headers.Keys.Where(name => name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase)).ToList())
                    {
                        headers.Remove(name);
                    }

                    return ValueTask.CompletedTask;
                });
            });
        GatewayBus.Add(builder);

        // After the bus: hosted services stop in reverse order, so the gateway's stop waits for cancels still being sent
        // (those of requests its drain ended among them) before the bus stops.
        services.AddSingleton<WorkerCancels>();
        services.AddHostedService(provider => provider.GetRequiredService<WorkerCancels>());
        return new InferenceGatewayBuilder(builder);
    }

    /// <summary>
    /// Caches results of deterministic requests: in Redis when <c>ConnectionStrings:redis</c> is set,
    /// else in this process. Settings: <c>Gateway:Cache</c>.
    /// </summary>
    public static IInferenceGatewayBuilder AddCompletionCache(this IInferenceGatewayBuilder gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var services = gateway.Host.Services;
        services.AddOptions<CompletionCacheOptions>()
            .BindNamingKeys(gateway.Host.Configuration.GetSection(CompletionCacheOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RedisOptions>()
            .BindNamingKeys(gateway.Host.Configuration.GetSection(RedisOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var redis = gateway.Host.Configuration.GetConnectionString("redis");
        services.RemoveAll<ICompletionCache>();
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<ICompletionCache, MemoryCompletionCache>();
        }
        else
        {
            // Read now, so a value naming no server stops the start with an error naming the setting.
            _ = RedisAddress.Parse(redis);
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<RedisConnection>(provider, redis));
            services.AddHostedService<RedisConnectionStarter>();
            services.AddSingleton<ICompletionCache, RedisCompletionCache>();
        }

        return gateway;
    }

    /// <summary>Adds registrations to the gateway's bus (fake or extra consumers); call before <see cref="AddInferenceGateway"/>.</summary>
    public static IHostApplicationBuilder ConfigureInferenceBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        GatewayBus.AddExtension(builder, configure);
        return builder;
    }

    /// <summary>
    /// The HTTP side: the playground page (<c>Gateway:Playground</c>), model routing before endpoint routing, <c>GET /v1/models</c>, and YARP with the
    /// queue-dispatch step ahead of its load balancing and forwarding.
    /// </summary>
    public static WebApplication MapInferenceGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Outermost, so that every answer carries its id, an error the handlers below produce included.
        app.UseMiddleware<RequestIdMiddleware>();

        // Whatever fails unexpectedly still answers in OpenAI's error shape (the handler logs the exception).
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context => OpenAIErrorWriter.WriteAsync(context, OpenAIException.Internal()),
        });

        app.UseStatusCodePages(OpenAIStatusCodePages.WriteAsync);

        // First of the API's steps: a request that arrives while the gateway stops does no work at all.
        app.UseMiddleware<DrainingMiddleware>();

        // Before the body is buffered: an unauthenticated caller costs no more than its headers.
        app.UseMiddleware<ApiKeyMiddleware>();

        // The page and its files, outside /v1: the key guard above lets them through, the page sends the key itself.
        PlaygroundEndpoints.UsePlayground(app);

        // Must run before routing: YARP picks the route by the header this sets from the body's model.
        app.UseMiddleware<ModelRoutingMiddleware>();
        app.UseRouting();

        // HEAD too: HTTP requires it wherever GET is served, and uptime probes use it.
        string[] read = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/v1/models", read, (ModelCatalog catalog) => Results.Json(catalog.List(), OpenAIJsonContext.Wire.ModelList));
        app.MapMethods("/v1/models/{**id}", read, async Task (string id, ModelCatalog catalog, HttpContext context) =>
        {
            ModelDto model;
            try
            {
                // The HTTP server decodes every escape of the path but %2F, which it keeps so that segments stay as sent;
                // OpenAI's SDKs escape the id, so 'org/model' arrives as 'org%2Fmodel' and is the same id.
                model = catalog.Get(id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
            }
            catch (OpenAIException error)
            {
                // The writer adds Retry-After to an error a retry can fix.
                await OpenAIErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
                return;
            }

            await Results.Json(model, OpenAIJsonContext.Wire.ModelDto).ExecuteAsync(context).ConfigureAwait(false);
        });
        try
        {
            app.MapReverseProxy(pipeline =>
            {
                pipeline.UseQueueDispatch();

                // No session affinity: completions are stateless, and its cookie protection would need key storage.
                pipeline.UseLoadBalancing();
                pipeline.UsePassiveHealthChecks();
            });
        }
        catch (InvalidOperationException exception) when (exception is not InvalidSettingException && exception.Source == typeof(IReverseProxyBuilder).Assembly.GetName().Name)
        {
            // YARP loads and checks its section here, and throws what it refuses; a fault of the gateway's own wiring while
            // the pipeline is built (a service missing) is no setting and stays the crash it is.
            throw ReverseProxySettings.Refused(exception);
        }

        return app;
    }
}
