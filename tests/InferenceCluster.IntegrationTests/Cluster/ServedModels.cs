using System.Net.Http.Json;
using System.Text.Json;

namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>A gateway's <c>/v1/models</c>: a model is listed once a worker serving it has been heard over RabbitMQ.</summary>
internal static class ServedModels
{
    /// <summary>Polls until the gateway behind <paramref name="http"/> lists <paramref name="model"/>; false after <paramref name="patience"/>.</summary>
    public static async Task<bool> WaitForAsync(HttpClient http, string model, TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var until = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < until)
        {
            var list = await http.GetFromJsonAsync<JsonElement>("/v1/models", cancellationToken);
            if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == model))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }
}
