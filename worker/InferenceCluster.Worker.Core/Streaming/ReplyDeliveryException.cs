using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Worker.Streaming;

/// <summary>
/// A result could not be sent to the request's reply address (as opposed to the engine failing). Its message names the bus
/// error without the broker's user or password: the worker logs it, and MassTransit's fault carries it to the gateway.
/// </summary>
internal sealed class ReplyDeliveryException(Uri? replyAddress, Exception inner)
    : Exception($"Could not send to the reply address {replyAddress}: {BrokerAddress.RedactText(inner.Message)}", inner);
