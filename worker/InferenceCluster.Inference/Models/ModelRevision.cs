using System.Security.Cryptography;
using System.Text;

namespace InferenceCluster.Inference.Models;

/// <summary>
/// A short content hash of a model folder: every file's relative path, size and bytes. It is the
/// cache identity of the model, so any change of weights, tokenizer or config changes it.
/// </summary>
internal static class ModelRevision
{
    public static string Compute(string folder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        var buffer = new byte[1 << 20];
        foreach (var (full, relative) in files)
        {
            using var stream = File.OpenRead(full);
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\n{stream.Length}\n"));
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..12];
    }
}
