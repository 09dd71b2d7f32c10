using InferenceCluster.ServiceDefaults;

namespace InferenceCluster.Worker.Tests.ServiceDefaults;

/// <summary>
/// ConnectionStrings:rabbitmq read as ConnectionStrings:redis is: an '@' in the user or password is read up to the last
/// '@', and a '#', '?' or '/' there is refused saying to percent-encode it. Both were refused as "not an amqp:// URI".
/// </summary>
public sealed class BrokerAddressTests
{
    [Theory]
    [InlineData("amqp://tester:p@ss@127.0.0.1:5673/", "tester:p@ss")]
    [InlineData("amqp://te@ster:p@ss%231@127.0.0.1:5673/", "te@ster:p@ss#1")]
    [InlineData("amqp://tester:p%40ss@127.0.0.1:5673/", "tester:p@ss")]
    public void Parse_UnencodedAtInUserOrPassword_ReadUpToTheLastAt(string connectionString, string userInfo)
    {
        var uri = BrokerAddress.Parse(connectionString);

        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal(5673, uri.Port);
        Assert.Equal(userInfo, Uri.UnescapeDataString(uri.UserInfo));
    }

    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5673/team@eu", "guest:guest", "team@eu")]
    [InlineData("amqp://127.0.0.1:5673/vh@1", "", "vh@1")]
    [InlineData("amqp://te@ster:p@ss@127.0.0.1:5673/vh@1", "te@ster:p@ss", "vh@1")]
    public void Parse_AtInTheVirtualHost_KeptInThePath(string connectionString, string userInfo, string virtualHost)
    {
        // An '@' after the host is the path's: such a virtual host was refused as a password to percent-encode.
        var uri = BrokerAddress.Parse(connectionString);

        Assert.Equal(("127.0.0.1", 5673), (uri.Host, uri.Port));
        Assert.Equal(userInfo, Uri.UnescapeDataString(uri.UserInfo));
        Assert.Equal(virtualHost, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
    }

    [Theory]
    [InlineData("amqp://guest:Pa55#never-printed@127.0.0.1:5672/")]
    [InlineData("amqp://guest:Pa55?never-printed@127.0.0.1:5672/")]
    [InlineData("amqp://guest:Pa55/never-printed@127.0.0.1:5672/")]
    public void Parse_PasswordWithUnencodedFragmentQueryOrPathMark_RefusedSayingToPercentEncodeIt(string connectionString)
    {
        var error = Assert.Throws<InvalidSettingException>(() => BrokerAddress.Parse(connectionString));

        Assert.Contains("ConnectionStrings__rabbitmq", error.Message, StringComparison.Ordinal);
        Assert.Contains("percent-encode any '#', '?' or '/' in the user or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amqp//guest:never-printed@127.0.0.1:5672/")]
    [InlineData("http://guest:never-printed@127.0.0.1:5672/")]
    public void Parse_NoAmqpUri_RefusedNamingTheSettingButNotTheValue(string connectionString)
    {
        var error = Assert.Throws<InvalidSettingException>(() => BrokerAddress.Parse(connectionString));

        Assert.Contains("ConnectionStrings__rabbitmq", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Broker unreachable: guest@127.0.0.1:5672/", "Broker unreachable: ***@127.0.0.1:5672/")]
    [InlineData("Connect failed: amqp://guest:never-printed@broker:5672/", "Connect failed: amqp://***@broker:5672/")]
    [InlineData("bad settings (user=guest; password=never-printed)", "bad settings (user=***; password=***)")]
    [InlineData("127.0.0.1:6379,username=guest,Password=never-printed", "127.0.0.1:6379,username=***,Password=***")]
    [InlineData("Broker unreachable: 127.0.0.1:5672/", "Broker unreachable: 127.0.0.1:5672/")]
    [InlineData("Broker unreachable: guest@::1:5672/", "Broker unreachable: ***@::1:5672/")]
    [InlineData("bad settings (password=\"never printed\")", "bad settings (password=***)")]
    [InlineData("bad settings (password='never printed')", "bad settings (password=***)")]
    public void RedactText_UserInfoOrPassword_Replaced(string text, string redacted)
    {
        Assert.Equal(redacted, BrokerAddress.RedactText(text));
    }

    // A refused password and a broker that is down share MassTransit's outer message: the inner error tells them apart.
    [Fact]
    public void RedactError_InnerErrors_EachNamedAndRedacted()
    {
        var error = new InvalidOperationException(
            "Connect failed: guest@broker:5672/", new UnauthorizedAccessException("ACCESS_REFUSED for guest@broker, password=never-printed"));

        var text = BrokerAddress.RedactError(error);

        Assert.Equal(
            "InvalidOperationException: Connect failed: ***@broker:5672/ ---> UnauthorizedAccessException: ACCESS_REFUSED for ***@broker, password=***",
            text);
    }
}
