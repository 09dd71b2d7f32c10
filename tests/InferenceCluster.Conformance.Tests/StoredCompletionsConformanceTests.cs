using System.ClientModel;
using OpenAI.Chat;

namespace InferenceCluster.Conformance.Tests;

/// <summary>
/// The SDK's calls on stored chat completions (retrieve, list, delete): nothing is stored here (<c>store: true</c> is
/// refused), and the error the SDK raises says so.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoredCompletionsConformanceTests(EmbeddedClusterFixture cluster)
{
    private ChatClient Chat => cluster.OpenAI.GetChatClient(EmbeddedClusterFixture.Model);

    [Fact]
    public async Task GetChatCompletion_NothingStored_404SayingSo()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat.GetChatCompletionAsync("chatcmpl-0123456789abcdef"));

        Assert.Equal(404, error.Status);
        Assert.Contains("Chat completions are not stored", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteChatCompletion_NothingStored_404SayingSo()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat.DeleteChatCompletionAsync("chatcmpl-0123456789abcdef"));

        Assert.Equal(404, error.Status);
        Assert.Contains("Chat completions are not stored", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetChatCompletions_NothingStored_405SayingSo()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
        {
            await foreach (var _ in Chat.GetChatCompletionsAsync())
            {
            }
        });

        Assert.Equal(405, error.Status);
        Assert.Contains("Chat completions are not stored", error.Message, StringComparison.Ordinal);
    }
}
