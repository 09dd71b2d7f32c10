using Microsoft.AspNetCore.DataProtection;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// The <c>encrypted_content</c> of a Responses reasoning item (<c>include: ["reasoning.encrypted_content"]</c>): the
/// reasoning's text sealed with ASP.NET Core Data Protection, opaque to the client. No gateway opens it: a reasoning item
/// sent back in <c>input</c> is dropped unread, sealed or not, as the model's chat template drops earlier reasoning, so
/// the keys live in this gateway's memory and a value goes back to any gateway, after a restart too.
/// </summary>
internal sealed class ReasoningSeal
{
    private const string Purpose = "InferenceCluster.Gateway.Responses.ReasoningItem.v1";

    // A provider of its own in memory, not the application's: it logs nothing (a key ring on disk without an XML
    // encryptor warns at every start), and sealing cannot fail on a key store.
    private readonly IDataProtector _protector = new EphemeralDataProtectionProvider().CreateProtector(Purpose);

    public string Seal(string reasoning) => _protector.Protect(reasoning);
}
