using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Tests.Fakes;

namespace InferenceCluster.Gateway.Tests.Policy;

public sealed class ApiKeyStoreTests
{
    private static ApiKeyStore Store(params ApiKeyEntry[] keys)
    {
        var options = new PolicyOptions { ApiKeys = [.. keys] };
        return new ApiKeyStore(new StaticOptionsMonitor<PolicyOptions>(options));
    }

    [Fact]
    public void Find_KnownKey_ReturnsItsNameAndPolicy()
    {
        var policy = new KeyPolicy { MaxTokensCap = 7 };
        var store = Store(
            new ApiKeyEntry { Name = "a", Sha256 = PolicyGatewayFixture.Sha256Hex("key-a") },
            new ApiKeyEntry { Name = "b", Sha256 = PolicyGatewayFixture.Sha256Hex("key-b").ToUpperInvariant(), Policy = policy });

        Assert.Equal("a", store.Find("key-a")?.Name);
        Assert.Same(policy, store.Find("key-b")?.Policy);
        Assert.False(store.IsOpen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("key-a ")]
    [InlineData("KEY-A")]
    public void Find_OtherKey_Null(string presented)
    {
        var store = Store(new ApiKeyEntry { Name = "a", Sha256 = PolicyGatewayFixture.Sha256Hex("key-a") });

        Assert.Null(store.Find(presented));
    }

    [Fact]
    public void IsOpen_NoKeys_True()
    {
        Assert.True(Store().IsOpen);
    }

    [Fact]
    public void Sha256Hex_MatchesTheDocumentedShellCommand()
    {
        // printf %s "sk-test" | sha256sum
        Assert.Equal("f3abf2a6cc4f00987743db5f544ba345b4899ae31f326d8ee9c4816de153c9e0", PolicyGatewayFixture.Sha256Hex("sk-test"));
    }
}
