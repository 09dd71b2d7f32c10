using InferenceCluster.Sweep.Cli;
using InferenceCluster.Sweep.Tests.Fakes;

namespace InferenceCluster.Sweep.Tests.Cli;

public sealed class SweepCliTests
{
    [Fact]
    public async Task RunAsync_BadGrid_ExitsWithUsageCode()
    {
        Assert.Equal(2, await SweepCli.RunAsync(["--temperature", "0.3:0.9"]));
    }

    [Fact]
    public async Task RunAsync_UnreadableSuite_ExitsWithFailureCodeBeforeAnyRequest()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("bad.jsonl"), "{\"id\":\"a\"");
        await using var server = await FakeOpenAiServer.StartAsync(_ => new FakeReply("x"));

        var code = await SweepCli.RunAsync(["--suite", dir.File("bad.jsonl"), "--out", dir.File("out"), "--base-url", server.BaseUrl.ToString()]);

        Assert.Equal(1, code);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task RunAsync_ServerRefusesSettings_ExitsWithFailureCode()
    {
        using var dir = new TempDir();
        await using var server = await FakeOpenAiServer.StartAsync(_ => new FakeReply("", Status: 400, Error: "no"));

        var code = await SweepCli.RunAsync(["--out", dir.File("out"), "--base-url", server.BaseUrl.ToString(), "--temperature", "0.3", "--top-p", "0.9", "--max-tokens", "8", "--repetition-penalty", "1.0", "--concurrency", "1"]);

        Assert.Equal(1, code);
        Assert.Single(server.Requests);
    }
}
