using System.Security.Cryptography;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// The <c>encrypted_content</c> of a Responses reasoning item (<c>include: ["reasoning.encrypted_content"]</c>): the
/// reasoning's text sealed with ASP.NET Core Data Protection, which only a gateway holding the same keys opens. A sealed
/// item sent back in <c>input</c> is checked and then dropped, as the model's chat template drops earlier reasoning.
/// The keys are in <c>Gateway:ReasoningKeysDirectory</c> when set (shared by the cluster's gateways), else in memory.
/// </summary>
internal sealed class ReasoningSeal
{
    private const string Purpose = "InferenceCluster.Gateway.Responses.ReasoningItem.v1";

    private readonly IDataProtector _protector;

    public ReasoningSeal(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A provider of its own, not the application's: it logs nothing (a key ring without an XML encryptor would
        // warn at every start), and it is the only user of these keys.
        var provider = options.Value.ReasoningKeysDirectory is { Length: > 0 } directory
            ? DataProtectionProvider.Create(new DirectoryInfo(directory), builder => builder.SetApplicationName("InferenceCluster.Gateway"))
            : new EphemeralDataProtectionProvider();
        _protector = provider.CreateProtector(Purpose);
    }

    public string Seal(string reasoning) => _protector.Protect(reasoning);

    /// <summary>Every sealed value (keyed by the parameter that carried it) opens, or the 400 naming the first that does not.</summary>
    public void Check(IEnumerable<KeyValuePair<string, string>> sealedValues)
    {
        ArgumentNullException.ThrowIfNull(sealedValues);
        foreach (var (param, value) in sealedValues)
        {
            try
            {
                _protector.Unprotect(value);
            }
            catch (Exception error) when (error is CryptographicException or FormatException)
            {
                throw new OpenAIException(
                    StatusCodes.Status400BadRequest,
                    $"'{param}' could not be opened by this gateway: it was changed, or sealed by a gateway with other keys " +
                    "(gateways share them through Gateway:ReasoningKeysDirectory; without it each keeps its own until it restarts). " +
                    "Send the reasoning item without it, or leave the item out.",
                    OpenAIException.InvalidRequestType,
                    param,
                    "invalid_encrypted_content");
            }
        }
    }
}
