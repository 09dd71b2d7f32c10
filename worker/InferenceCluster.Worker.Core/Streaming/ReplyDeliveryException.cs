namespace InferenceCluster.Worker.Streaming;

/// <summary>A result could not be sent to the request's reply address (as opposed to the engine failing).</summary>
internal sealed class ReplyDeliveryException(Uri? replyAddress, Exception inner)
    : Exception($"Could not send to the reply address {replyAddress}: {inner.Message}", inner);
