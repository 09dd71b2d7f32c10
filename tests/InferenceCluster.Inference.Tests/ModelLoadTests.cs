using InferenceCluster.Inference.Hosting;
using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Inference.Tests;

/// <summary>
/// GenAI's refusal to load a model folder: one exception naming the setting, the folder, the model and GenAI's own message,
/// and whether the folder's files are to blame. The real library's refusals are seen by the worker processes of
/// InvalidSettingExitTests: failed loads next to the engines other tests load in this process crashed the test host.
/// </summary>
public sealed class ModelLoadTests
{
    [Theory]
    [InlineData("Load model from /models/r1/model.onnx failed:Protobuf parsing failed.", true)]
    [InlineData("Error encountered while parsing '/models/r1/genai_config.json' JSON Error: model: Unknown value", true)]
    [InlineData("CUDA failure 2: out of memory", false)]
    [InlineData("Load model from /models/r1-standard/model.onnx failed", false)]

    // A restart may mend these: the device's memory taken by another process, a fault of the device. ONNX Runtime names
    // its own source files in them, never one of the folder.
    [InlineData("CUDA failure 2: out of memory ; GPU=0 ; hostname=w1 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_allocator.cc ; line=47 ; expr=cudaMalloc((void**)&p, size);", false)]
    [InlineData("Failed to allocate memory for requested buffer of size 1073741824", false)]
    [InlineData("CUDA error cudaErrorIllegalAddress:an illegal memory access was encountered", false)]
    [InlineData("CUDA failure 999: unknown error ; GPU=0 ; hostname=w1 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_execution_provider.cc ; line=282 ; expr=cudaSetDevice(info_.device_id);", false)]
    public void Wrap_MessageNamingAFileOfTheFolder_IsAFolderFault(string message, bool folderFault)
    {
        var error = ModelLoadException.Wrap(new GenAiException(message), "Inference:ModelPath", "/models/r1", "r1", "model", folderFault: false);

        Assert.Equal(folderFault, error.FolderFault);
    }

    [Fact]
    public void Wrap_MessageOnSeveralLines_IsOneSentenceOnOneLine()
    {
        var error = ModelLoadException.Wrap(new GenAiException("first\r\n  second\n"), "Inference:ModelPath", "/models/r1", "r1", "tokenizer", folderFault: true);

        Assert.Equal("Inference:ModelPath: '/models/r1' (model r1): ONNX Runtime GenAI could not load its tokenizer: first second.", error.Message);
        Assert.True(error.FolderFault);
    }
}
