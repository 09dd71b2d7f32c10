using System.Security.Cryptography;
using System.Text;
using InferenceCluster.Gateway.Policy;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Auth;

/// <summary>
/// The configured keys, held only as SHA-256 hashes. A presented key is hashed and compared with every
/// entry in constant time, so neither the timing nor an early exit tells how close a guess came.
/// </summary>
internal sealed class ApiKeyStore(IOptionsMonitor<PolicyOptions> options)
{
    public bool IsOpen => options.CurrentValue.ApiKeys.Count == 0;

    public ApiKeyIdentity? Find(string presentedKey)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);

        ApiKeyIdentity? match = null;
        Span<byte> configured = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (var entry in options.CurrentValue.ApiKeys)
        {
            // Validated at start as 64 hex digits; a failed parse compares against zeros and never matches a real hash.
            configured.Clear();
            Convert.FromHexString(entry.Sha256, configured, out _, out _);
            if (CryptographicOperations.FixedTimeEquals(presented, configured) && match is null)
            {
                match = new ApiKeyIdentity(entry.Name, entry.Policy);
            }
        }

        return match;
    }
}
