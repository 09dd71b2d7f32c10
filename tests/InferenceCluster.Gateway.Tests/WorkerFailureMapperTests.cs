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
}
