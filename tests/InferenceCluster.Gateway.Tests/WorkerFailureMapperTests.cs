using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Tests;

public sealed class WorkerFailureMapperTests
{
    [Theory]
    [InlineData("context_length_exceeded", null, false, 400, "invalid_request_error", "messages")]
    [InlineData("invalid_config", "seed", false, 400, "invalid_request_error", "seed")]
    [InlineData("deadline_exceeded", null, false, 504, "server_error", null)]
    [InlineData("worker_stopping", null, true, 503, "server_error", null)]
    [InlineData("engine_error", null, false, 502, "server_error", null)]
    public void ToException_MapsCodeToStatus(string code, string? param, bool retryable, int status, string type, string? expectedParam)
    {
        var error = WorkerFailureMapper.ToException(new CompletionFailed
        {
            RequestId = Guid.NewGuid(), Position = 0, Code = code, Message = "because", Param = param, Retryable = retryable, WorkerId = "w",
        }, clientParam: name => name);

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(type, error.Type);
        Assert.Equal(expectedParam, error.Param);
        Assert.Equal("because", error.Message);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void ToException_WorkerFailure_SaysWhetherARetryCanHelp(bool retryable, bool shouldRetry)
    {
        var error = WorkerFailureMapper.ToException(new CompletionFailed
        {
            RequestId = Guid.NewGuid(), Position = 0, Code = "engine_error", Message = "because", Retryable = retryable, WorkerId = "w",
        }, clientParam: name => name);

        Assert.Equal(shouldRetry, error.ShouldRetry);
    }

    [Fact]
    public void ToException_DeadlineExceeded_SaysNoRetry()
    {
        var error = WorkerFailureMapper.ToException(new CompletionFailed
        {
            RequestId = Guid.NewGuid(), Position = 0, Code = FailureCodes.DeadlineExceeded, Message = "because", Retryable = false, WorkerId = "w",
        }, clientParam: name => name);

        Assert.Equal(504, error.StatusCode);
        Assert.False(error.ShouldRetry);
    }

    [Fact]
    public void Timeout_GatewayDeadline_SaysNoRetry() =>
        Assert.False(OpenAIException.Timeout(TimeSpan.FromSeconds(30)).ShouldRetry);

    [Theory]
    [InlineData("max_tokens", "max_output_tokens", "The prompt (9 tokens) plus max_output_tokens (4000) exceeds this model's context of 2048 tokens.")]
    [InlineData("max_tokens", "max_completion_tokens", "The prompt (9 tokens) plus max_completion_tokens (4000) exceeds this model's context of 2048 tokens.")]
    [InlineData("max_tokens", "max_tokens", "The prompt (9 tokens) plus max_tokens (4000) exceeds this model's context of 2048 tokens.")]
    public void ToException_ParameterTheClientNamesOtherwise_MessageNamesItAsTheClientSentIt(string named, string clientName, string expected)
    {
        var error = WorkerFailureMapper.ToException(new CompletionFailed
        {
            RequestId = Guid.NewGuid(), Position = 0, Code = FailureCodes.ContextLengthExceeded, Param = named, Retryable = false, WorkerId = "w",
            Message = "The prompt (9 tokens) plus max_tokens (4000) exceeds this model's context of 2048 tokens.",
        }, clientParam: name => name == named ? clientName : name);

        Assert.Equal(clientName, error.Param);
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("grammar error at /properties/response_format: expected a string")]
    [InlineData("response_format (guided decoding) failed: the schema's property response_format is not supported")]
    public void ToException_EngineTextAfterTheWorkersMention_ReachesTheClientAsWritten(string message)
    {
        var error = WorkerFailureMapper.ToException(new CompletionFailed
        {
            RequestId = Guid.NewGuid(), Position = 0, Code = FailureCodes.InvalidConfig, Param = "response_format", Retryable = false, WorkerId = "w",
            Message = message,
        }, clientParam: name => name == "response_format" ? "text.format" : name);

        Assert.Equal("text.format", error.Param);
        var expected = message.StartsWith("response_format ", StringComparison.Ordinal) ? "text.format" + message["response_format".Length..] : message;
        Assert.Equal(expected, error.Message);
    }
}
