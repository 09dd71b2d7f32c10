namespace InferenceCluster.Scaling;

/// <summary>Waits until a gateway is ready and lists the model (it learns workers from their heartbeats).</summary>
internal static class GatewayProbe
{
    public static async Task WaitReadyAsync(HttpClient http, Uri gateway, string model, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(gateway, "health/ready")).ConfigureAwait(false);
                var models = ready.IsSuccessStatusCode ? await http.GetStringAsync(new Uri(gateway, "v1/models")).ConfigureAwait(false) : "";
                if (models.Contains($"\"{model}\"", StringComparison.Ordinal))
                {
                    return;
                }

                last = ready.IsSuccessStatusCode ? "ready, model not listed yet" : $"health/ready {(int)ready.StatusCode}";
            }
            catch (HttpRequestException exception)
            {
                last = exception.Message;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        throw new TimeoutException($"Gateway {gateway} not serving {model} after {timeout.TotalSeconds:0} s ({last}); see its log.");
    }
}
