using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Determinant.ModelDefinitions;

/// <summary>
/// The SHA-256 that names a cache entry: of the compiler and its settings, the reference set, the sorted source files
/// and the entrypoint. Every string is length-prefixed, so no two inputs run together into the same bytes.
/// </summary>
internal static class ContentHash
{
    public static string Compute(string environment, IReadOnlyList<SourceFile> sortedFiles, string entrypoint)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, environment);
        Append(hash, sortedFiles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var file in sortedFiles)
        {
            Append(hash, file.Path);
            Append(hash, file.Text);
        }
        Append(hash, entrypoint);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
