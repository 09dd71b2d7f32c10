using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Auth;

/// <summary>Where a key stands in its rate after a request was counted: allowed or not, and what is left of the minute.</summary>
internal sealed record KeyRate(bool Allowed, int Limit, int Remaining, TimeSpan Reset)
{
    /// <summary>
    /// OpenAI's rate headers, which clients read to pace themselves before they meet a 429: the requests a minute,
    /// those left in this one, and the time until it turns.
    /// </summary>
    public void WriteHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers["x-ratelimit-limit-requests"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining-requests"] = Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset-requests"] = string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(Reset.TotalSeconds):0}s");
    }
}
