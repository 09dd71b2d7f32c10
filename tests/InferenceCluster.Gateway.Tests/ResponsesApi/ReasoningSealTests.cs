using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Responses;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Tests.ResponsesApi;

public sealed class ReasoningSealTests
{
    private const string Param = "input[2].encrypted_content";

    [Fact]
    public void Check_ValueItSealed_Passes()
    {
        var seal = Seal(null);

        seal.Check([new(Param, seal.Seal("Two and two."))]);
    }

    [Theory]
    [InlineData("not a sealed value")]
    [InlineData("")]
    public void Check_ValueNotSealedHere_400NamingIt(string value)
    {
        var error = Assert.Throws<OpenAIException>(() => Seal(null).Check([new(Param, value)]));

        Assert.Equal((400, Param, "invalid_encrypted_content"), (error.StatusCode, error.Param, error.Code));
    }

    [Fact]
    public void Check_ValueSealedByAGatewayWithItsOwnKeys_400SayingWhy()
    {
        var sealedElsewhere = Seal(null).Seal("Two and two.");

        var error = Assert.Throws<OpenAIException>(() => Seal(null).Check([new(Param, sealedElsewhere)]));

        Assert.Equal(Param, error.Param);
        Assert.Contains("Gateway:ReasoningKeysDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ValueSealedByAGatewaySharingTheKeysDirectory_Passes()
    {
        var directory = Directory.CreateTempSubdirectory("reasoning-keys-");
        try
        {
            var sealedElsewhere = Seal(directory.FullName).Seal("Two and two.");

            Seal(directory.FullName).Check([new(Param, sealedElsewhere)]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static ReasoningSeal Seal(string? keysDirectory) =>
        new(Options.Create(new GatewayOptions { ReasoningKeysDirectory = keysDirectory }));
}
