using System.Diagnostics;
using InferenceCluster.Inference.Hosting;
using InferenceCluster.IntegrationTests.Drills;

namespace InferenceCluster.IntegrationTests.Deploy;

/// <summary>
/// The gateway's and the worker's executables given a setting they cannot start with, of their own or of the service
/// defaults: each exits 78 (EX_CONFIG, which deploy/local/supervise.sh does not restart) and its last line names the
/// setting, never its value. The gateway crashed with 134 and a stack trace on all of these, the worker on the metrics
/// listener's. Likewise a model folder GenAI refuses (78), and a provider the build lacks (78).
/// </summary>
public sealed class InvalidSettingExitTests
{
    private const string Secret = "s3cret-never-printed";

    /// <summary>For the content of a file: its first half, as a copy cut short leaves it.</summary>
    private const string Truncated = "(its first half)";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("gateway", "Gateway__RequestTimeout", "abc", "Gateway:RequestTimeout")]
    [InlineData("gateway", "Gateway__WorkerLiveness", "-5", "Gateway:WorkerLiveness")]
    [InlineData("gateway", "Gateway__Cache__RedisTimeout", Secret, "Gateway:Cache:RedisTimeout")]
    [InlineData("gateway", "ConnectionStrings__rabbitmq", "amqp://guest:" + Secret + "@127.0.0.1:not-a-port/", "ConnectionStrings__rabbitmq")]
    [InlineData("gateway", "OTEL_EXPORTER_OTLP_ENDPOINT", "not a url " + Secret, "OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("worker", "Worker__MetricsPort", Secret, "Worker:MetricsPort")]
    [InlineData("worker", "Worker__EngineStallTimeout", "00:00:02", "Worker:EngineStallTimeout must lie between 10 seconds and 1 hour")]
    [InlineData("worker", "OTEL_EXPORTER_OTLP_ENDPOINT", "not a url " + Secret, "OTEL_EXPORTER_OTLP_ENDPOINT")]

    // A log level the framework cannot read: both crashed with 134 and a stack trace from the logger factory.
    [InlineData("gateway", "Logging__LogLevel__Default", "Verbose", "Logging__LogLevel__Default")]
    [InlineData("worker", "Logging__Console__LogLevel__Default", "loud", "Logging__Console__LogLevel__Default")]

    // OTEL_* settings the SDK ignored without a word: the sampler (the services set one in code), one signal's endpoint
    // alone (export stayed off), headers with no export to send them with.
    [InlineData("gateway", "OTEL_TRACES_SAMPLER", "parentbased_jaeger_remote", "OTEL_TRACES_SAMPLER")]
    [InlineData("worker", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces?key=" + Secret, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    [InlineData("worker", "OTEL_EXPORTER_OTLP_HEADERS", "api-key=" + Secret, "OTEL_EXPORTER_OTLP_HEADERS")]
    public async Task Run_InvalidSetting_Exits78WithALineNamingItButNotItsValue(string service, string variable, string value, string named)
    {
        var (code, output) = await RunAsync(service == "gateway" ? RepositoryPaths.Gateway : RepositoryPaths.Worker, variable, value);

        var last = output.TrimEnd().Split('\n')[^1];
        Assert.True(code == 78, $"exit code {code}\n{output}");
        Assert.StartsWith("Invalid configuration: ", last, StringComparison.Ordinal);
        Assert.Contains(named, last, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "cpu", "has no model;")]
    [InlineData("{\"model\":", "cpu", "is not valid JSON")]
    [InlineData("""{"model":{"context_length":"long","vocab_size":512}}""", "simulated", "has model.context_length \"long\", not a whole number above 0")]
    [InlineData("""{"model":{"vocab_size":512,"decoder":{"filename":"model.onnx"}}}""", "simulated", "has no model.context_length")]
    [InlineData("""{"model":{"context_length":2048,"vocab_size":512,"decoder":{"filename":"model.onnx"}}}""", "cpu", "has no model.onnx, the model file its genai_config.json names")]
    public async Task Run_MalformedModelFolder_Exits78WithOneLineNamingTheSettingTheFileAndWhatIsWrong(string config, string provider, string why)
    {
        // The worker crashed with 134, an unhandled KeyNotFoundException from ModelFolder.Read and a stack trace (GenAI's
        // refusal of a missing model.onnx likewise), where a missing folder exits 78 with one line.
        var folder = Directory.CreateTempSubdirectory("inferencecluster-malformed-model.");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "genai_config.json"), config);

            var (code, output) = await RunAsync(RepositoryPaths.Worker, "Inference__ModelPath", folder.FullName,
                ("Inference__ExecutionProvider", provider));

            Assert.True(code == 78, $"exit code {code}\n{output}");
            var line = Assert.Single(output.TrimEnd().Split('\n'));
            Assert.StartsWith($"Invalid configuration: Inference:ModelPath: '{folder.FullName}", line, StringComparison.Ordinal);
            Assert.Contains(why, line, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("worker", "tokenizer.json", null, "' has no tokenizer.json, which GenAI's tokenizer reads")]
    [InlineData("worker", "tokenizer.json", "", "tokenizer.json' is empty, not a JSON object")]
    [InlineData("worker", "tokenizer_config.json", null, "' has no tokenizer_config.json, which GenAI's tokenizer reads")]

    // Refused by GenAI itself, past the checks the worker makes: its own message, after the folder and the model's name.
    [InlineData("worker", "tokenizer.json", """{"model":{}}""", "' (model inferencecluster-broken-model.", "could not load its tokenizer: [json.exception")]
    [InlineData("worker", "model.onnx", "no ONNX model", "' (model inferencecluster-broken-model.", "could not load its model: Load model from ", "model.onnx failed:Protobuf parsing failed.")]
    [InlineData("worker", "model.onnx", Truncated, "could not load its model: Load model from ", "model.onnx failed:")]
    [InlineData("gateway", "model.onnx", Truncated, "could not load its model: Load model from ", "model.onnx failed:")]
    public async Task Run_BrokenFileInACopyOfTheTestModel_Exits78WithOneLineNamingTheFileAndWhatIsWrong(string service, string file, string? content,
        params string[] why)
    {
        // The tokenizer files were not checked, and GenAI's refusal of them or of the model file was thrown from the
        // engine's load: the worker, and the gateway with its embedded worker, crashed with 134 and a stack trace.
        var folder = CopyOfTheTestModel();
        try
        {
            var path = Path.Combine(folder.FullName, file);
            if (content is null)
            {
                File.Delete(path);
            }
            else if (content == Truncated)
            {
                var bytes = File.ReadAllBytes(path);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            }
            else
            {
                File.WriteAllText(path, content);
            }

            var (code, output) = await RunAsync(service == "gateway" ? RepositoryPaths.Gateway : RepositoryPaths.Worker,
                "Inference__ModelPath", folder.FullName, ("Inference__ExecutionProvider", "cpu"));

            Assert.True(code == 78, $"exit code {code}\n{output}");
            var line = Assert.Single(output.TrimEnd().Split('\n'));
            Assert.StartsWith($"Invalid configuration: Inference:ModelPath: '{folder.FullName}", line, StringComparison.Ordinal);
            Assert.All(why, part => Assert.Contains(part, line, StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(null, "must be a standard (non-paged) layout of the served model")]
    [InlineData("{}", "genai_config.json' has no model;")]
    public async Task Run_SecondModelFolderBroken_Exits78WithOneLineNamingThatFolder(string? config, string why)
    {
        // A worker serves one model; the classic path's folder (Inference:ClassicModelPath) is the second one it may be
        // given. One of the paged layout was refused once the host had begun to start: exit 78, but after the host's
        // failure to start logged with a stack trace.
        var folder = CopyOfTheTestModel();
        try
        {
            var classic = config is null ? TestModel.PagedPath : folder.FullName;
            if (config is not null)
            {
                File.WriteAllText(Path.Combine(folder.FullName, "genai_config.json"), config);
            }

            var (code, output) = await RunAsync(RepositoryPaths.Worker, "Inference__ClassicModelPath", classic,
                ("Inference__ExecutionProvider", "cpu"));

            Assert.True(code == 78, $"exit code {code}\n{output}");
            var line = Assert.Single(output.TrimEnd().Split('\n'));
            Assert.StartsWith("Invalid configuration: Inference:ClassicModelPath", line, StringComparison.Ordinal);
            Assert.Contains($"'{classic}", line, StringComparison.Ordinal);
            Assert.Contains(why, line, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("gateway")]
    public async Task Run_CudaOnTheCpuBuild_Exits78WithOneLineNamingTheSettingAndTheCudaBuild(string service)
    {
        // The CPU build has no CUDA library: GenAI's "Cuda interface not available" names no file of the folder, so the
        // worker exited 75 and its supervisor started it again for ever, though no restart gives the build CUDA.
        var folder = CopyOfTheTestModel();
        try
        {
            var (code, output) = await RunAsync(service == "gateway" ? RepositoryPaths.Gateway : RepositoryPaths.Worker,
                "Inference__ModelPath", folder.FullName, ("Inference__ExecutionProvider", "cuda"));

            Assert.True(code == 78, $"exit code {code}\n{output}");
            var line = Assert.Single(output.TrimEnd().Split('\n'));
            Assert.StartsWith("Invalid configuration: Inference:ExecutionProvider: ", line, StringComparison.Ordinal);
            Assert.Contains("this build has no CUDA", line, StringComparison.Ordinal);
            Assert.Contains("-p:UseCuda=true", line, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A new folder holding a copy of the bundled test model (paged layout).</summary>
    private static DirectoryInfo CopyOfTheTestModel()
    {
        var folder = Directory.CreateTempSubdirectory("inferencecluster-broken-model.");
        foreach (var file in Directory.GetFiles(TestModel.PagedPath))
        {
            File.Copy(file, Path.Combine(folder.FullName, Path.GetFileName(file)));
        }

        return folder;
    }

    private static async Task<(int Code, string Output)> RunAsync(string executable, string variable, string value,
        params (string Name, string Value)[] others)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(executable)! };
        start.ArgumentList.Add(executable);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";

        // Never the test servers: the gateway runs its embedded worker, the worker is refused before it connects.
        start.Environment["ConnectionStrings__rabbitmq"] = executable == RepositoryPaths.Gateway ? string.Empty : "amqp://guest:guest@127.0.0.1:1/";
        start.Environment["ConnectionStrings__redis"] = string.Empty;
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Worker__MetricsPort"] = "0";
        start.Environment["Inference__ExecutionProvider"] = "simulated";
        foreach (var (name, other) in others)
        {
            start.Environment[name] = other;
        }

        start.Environment[variable] = value;

        // A setting taken for valid: the service runs. Ended at the patience, it fails the test by its exit code.
        var run = await ProcessRun.RunAsync(start, Patience);
        return (run.ExitCode, run.Output + run.Error);
    }
}
