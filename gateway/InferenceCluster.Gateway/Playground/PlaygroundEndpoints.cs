using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Playground;

/// <summary>
/// Serves the browser playground at <c>/</c> and its settings at <c>/playground/config.json</c>, ahead of
/// routing, so that no YARP route (not even a catch-all) can take the page's paths. Outside <c>/v1</c>, the
/// page loads without a key; its own calls to <c>/v1</c> carry the key the user typed.
/// </summary>
internal static class PlaygroundEndpoints
{
    public const string SettingsPath = "/playground/config.json";

    // The files are embedded so that the page is served whatever the content root (tests, dotnet run, containers).
    private const string ResourceNamespace = "InferenceCluster.Gateway.Playground.wwwroot";

    public static void UsePlayground(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<PlaygroundOptions>>().Value.Enabled)
        {
            return;
        }

        var files = new EmbeddedFileProvider(typeof(PlaygroundEndpoints).Assembly, ResourceNamespace);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = file => PlaygroundHeaders.Apply(file.Context.Response),
        });
        app.Use(async (context, next) =>
        {
            // HEAD answers as GET does, without the body, as the page's files (static files) do.
            var head = HttpMethods.IsHead(context.Request.Method);
            if (!(head || HttpMethods.IsGet(context.Request.Method)) || !context.Request.Path.Equals(SettingsPath, StringComparison.Ordinal))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            PlaygroundHeaders.Apply(context.Response);
            context.Response.ContentType = "application/json; charset=utf-8";
            if (head)
            {
                return;
            }

            await using var json = new Utf8JsonWriter(context.Response.Body);
            context.RequestServices.GetRequiredService<PlaygroundSettings>().Write(json);
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        });
    }
}
