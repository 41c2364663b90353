using System.Security.Cryptography;
using System.Text;

namespace Determinant.Master.Auth;

/// <summary>Random bearer tokens; the database keeps only their SHA-256.</summary>
internal static class TokenHasher
{
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
