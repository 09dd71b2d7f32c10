namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>
/// The servers the cluster runs on, from the variables scripts/test.sh exports after starting private ones.
/// A missing one fails the whole suite with a message naming the variable; these tests never skip.
/// </summary>
internal static class ServerEnvironment
{
    public const string RabbitMqVariable = "ConnectionStrings__rabbitmq";
    public const string RedisVariable = "ConnectionStrings__redis";

    public static Uri RabbitMq()
    {
        var value = Require(RabbitMqVariable, "amqp://guest:guest@127.0.0.1:5672/");
        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{RabbitMqVariable} must be an amqp:// URI; got '{value}'.");
    }

    public static string Redis() => Require(RedisVariable, "127.0.0.1:6379");

    private static string Require(string variable, string example)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        throw new InvalidOperationException(
            $"The cluster integration tests need a real server: set {variable} (e.g. {example}), or run `bash scripts/test.sh`, " +
            "which starts private RabbitMQ and Redis servers and sets both variables." +
            (ci ? " CI=true: a missing server is a failure." : string.Empty));
    }
}
