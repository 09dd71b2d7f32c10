using System.Net;
using InferenceCluster.Gateway.Redis;
using InferenceCluster.ServiceDefaults;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// ConnectionStrings:redis in the Redis URI form (redis://[user:password@]host[:port][/database], rediss:// with TLS)
/// as well as the client's own: the client took a URI for one host named "redis://:password@host:port" on port 6379,
/// never connected, and printed the password in every error it logged.
/// </summary>
public sealed class RedisAddressTests
{
    private const string Secret = "Pa55-w0rd-never-printed";

    [Fact]
    public void Parse_UriWithPassword_ConnectsToItsHostAndPortWithThePassword()
    {
        var configuration = RedisAddress.Parse($"redis://:{Secret}@127.0.0.1:26399");

        var endpoint = Assert.Single(configuration.EndPoints);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 26399), endpoint);
        Assert.Equal(Secret, configuration.Password);
        Assert.Null(configuration.User);
        Assert.False(configuration.Ssl);
        Assert.Null(configuration.DefaultDatabase);
    }

    [Fact]
    public void Parse_TlsUriWithUserEscapedPasswordAndDatabase_TakesEachPart()
    {
        var configuration = RedisAddress.Parse("rediss://cache-user:p%40ss%3Aword@redis.example/3");

        Assert.Equal(new DnsEndPoint("redis.example", 6379), Assert.Single(configuration.EndPoints));
        Assert.Equal("cache-user", configuration.User);
        Assert.Equal("p@ss:word", configuration.Password);
        Assert.True(configuration.Ssl);
        Assert.Equal(3, configuration.DefaultDatabase);
    }

    [Fact]
    public void Parse_ClientForm_StillTakenAsItIs()
    {
        var configuration = RedisAddress.Parse($"redis.example:6380,password={Secret},ssl=true");

        Assert.Equal(new DnsEndPoint("redis.example", 6380), Assert.Single(configuration.EndPoints));
        Assert.Equal(Secret, configuration.Password);
        Assert.True(configuration.Ssl);
    }

    [Fact]
    public void Parse_ClientFormWithAPasswordHoldingASchemeMark_StillTakenAsItIs()
    {
        // Any "://" made the value a URI, and this one was refused at start as a malformed redis:// URI.
        var configuration = RedisAddress.Parse("redis.example:6379,password=ab://cd");

        Assert.Equal(new DnsEndPoint("redis.example", 6379), Assert.Single(configuration.EndPoints));
        Assert.Equal("ab://cd", configuration.Password);
    }

    [Theory]
    [InlineData("redis://:Pa55@never@printed@127.0.0.1:26399", null, "Pa55@never@printed")]
    [InlineData("redis://cache@user:Pa55@never-printed@127.0.0.1:26399", "cache@user", "Pa55@never-printed")]
    [InlineData("redis://:Pa55%40never@printed@127.0.0.1:26399", null, "Pa55@never@printed")]
    public void Parse_UnencodedAtInUserOrPassword_ReadUpToTheLastAt(string connectionString, string? user, string password)
    {
        // A host name holds no '@', so only the last one can end the user information: Python's urllib, Go's net/url and
        // the WHATWG URL parser of Node's Redis clients read it so. It was refused, or read as another host.
        var configuration = RedisAddress.Parse(connectionString);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 26399), Assert.Single(configuration.EndPoints));
        Assert.Equal(user, configuration.User);
        Assert.Equal(password, configuration.Password);
    }

    [Theory]
    [InlineData($"redis//:{Secret}@127.0.0.1:6379")]
    [InlineData($"redis://:{Secret}@127.0.0.1:6379/not-a-database")]
    [InlineData($"redis://:{Secret}@127.0.0.1:6379/0?timeout=5")]
    [InlineData($"redis://:{Secret}@/0")]
    [InlineData($"http://:{Secret}@127.0.0.1:6379")]
    public void Parse_MalformedUri_RefusedNamingTheSettingButNotThePassword(string connectionString)
    {
        var error = Assert.Throws<InvalidSettingException>(() => RedisAddress.Parse(connectionString));

        Assert.Contains("ConnectionStrings__redis", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("redis://:Pa55#never-printed@127.0.0.1:6379")]
    [InlineData("redis://:Pa55?never-printed@127.0.0.1:6379")]
    [InlineData("redis://:Pa55/never-printed@127.0.0.1:6379")]
    public void Parse_PasswordWithUnencodedFragmentQueryOrPathMark_RefusedSayingToPercentEncodeIt(string connectionString)
    {
        var error = Assert.Throws<InvalidSettingException>(() => RedisAddress.Parse(connectionString));

        Assert.Contains("percent-encode any '#', '?' or '/' in the user or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", error.ToString(), StringComparison.Ordinal);
    }
}
