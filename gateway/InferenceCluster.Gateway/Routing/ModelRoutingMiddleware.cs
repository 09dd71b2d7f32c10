using System.Text.Json;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// Runs before endpoint routing for the OpenAI operations that name a model: buffers the body (within
/// the size limit, else 413), parses it once (malformed JSON is a 400), and copies the body's <c>model</c> into
/// <see cref="ModelRouting.ModelHeader"/> so that a YARP route can be chosen by model. The parsed
/// <see cref="JsonDocument"/> is left in the request's features for whoever answers the request.
/// </summary>
internal sealed partial class ModelRoutingMiddleware(
    RequestDelegate next, IOptions<GatewayOptions> options, IOptionsMonitor<Policy.PolicyOptions> policy, ILogger<ModelRoutingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || !ModelRouting.IsModelRouted(context.Request.Path.Value ?? string.Empty))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The header is ours: a client must not pick a route other than the one its body's model selects.
        context.Request.Headers.Remove(ModelRouting.ModelHeader);
        try
        {
            var body = WithoutByteOrderMark(await ReadBodyAsync(context.Request, options.Value.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false));
            var document = Parse(body);
            context.Response.RegisterForDispose(document);

            // A model of the wrong type is left for the validator, which names it precisely.
            var model = document.RootElement.TryGetProperty("model", out var member) && member.ValueKind == JsonValueKind.String
                ? member.GetString()
                : null;
            context.Features.Set(document);
            context.Request.Body = new MemoryStream(body, writable: false);
            context.Request.ContentLength = body.Length;
            if (!string.IsNullOrEmpty(model))
            {
                context.Request.Headers[ModelRouting.ModelHeader] = Policy.ModelProfile.ServedId(model, policy.CurrentValue.Profiles);
            }
        }
        catch (OpenAIException error)
        {
            LogRejected(error.StatusCode, error.Message);
            await OpenAIErrorWriter.WriteAsync(context, error).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>The body's document, a JSON object with valid Unicode and no member repeated; the caller disposes it.</summary>
    private static JsonDocument Parse(byte[] body)
    {
        JsonDocument document;
        Exception? strictFailure = null;
        try
        {
            document = JsonDocument.Parse(body, DuplicateMemberCheck.UniqueMembers);
        }
        catch (Exception strict) when (strict is JsonException or InvalidOperationException)
        {
            // Not JSON, JSON that repeats a member, or a member name that is not Unicode (comparing names reads
            // them): only the lenient parse and the checks after it tell which.
            strictFailure = strict;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw OpenAIException.InvalidJson(ex.Message);
            }
        }

        try
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw OpenAIException.InvalidJson("expected a JSON object at the top level.");
            }

            UnicodeCheck.ThrowIfInvalid(body, document.RootElement);
            if (strictFailure is not null)
            {
                DuplicateMemberCheck.ThrowIfAny(document.RootElement);
                throw OpenAIException.InvalidJson(strictFailure.Message);
            }

            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The body without a leading UTF-8 byte order mark, which some tools write: it is no part of the JSON text, a
    /// parser may ignore it (RFC 8259) and OpenAI's API does; neither the checks nor an upstream server see it.
    /// </summary>
    private static byte[] WithoutByteOrderMark(byte[] body) => body.AsSpan().StartsWith("\uFEFF"u8) ? body[3..] : body;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        // A compressed body would be read as JSON gone wrong; the gateway decompresses nothing, so it says so.
        foreach (var coding in request.Headers.ContentEncoding.SelectMany(value => (value ?? string.Empty).Split(',')))
        {
            if (coding.Trim() is { Length: > 0 } name && !name.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                throw OpenAIException.UnsupportedContentEncoding(name);
            }
        }

        if (request.ContentLength > limit)
        {
            throw OpenAIException.BodyTooLarge(limit);
        }

        // The limit is enforced here, in the OpenAI error shape; Kestrel's own (30 MB) must not cut in first.
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ReadAsync(request.Body, chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            // A body without Content-Length (chunked) is counted as it arrives.
            if (buffer.Length + read > limit)
            {
                throw OpenAIException.BodyTooLarge(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        BodyCharset.ThrowIfNotUtf8(request.ContentType, body);
        return body;
    }

    /// <summary>One read of the body; a body Kestrel cannot read (a broken chunked framing, too slow) is the client's fault, not a 500.</summary>
    private static async ValueTask<int> ReadAsync(Stream body, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException unreadable)
        {
            throw OpenAIException.Unreadable(unreadable.StatusCode, unreadable.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused before routing with {Status}: {Reason}")]
    private partial void LogRejected(int status, string reason);
}
