using System.Globalization;
using System.Security.Cryptography;

namespace Determinant.Master.Auth;

/// <summary>PBKDF2-SHA256 password hashes in a versioned text format: <c>pbkdf2-sha256$v1$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>.</summary>
internal static class PasswordHasher
{
    public const int Iterations = 100_000;
    private const string Prefix = "pbkdf2-sha256";
    private const string Version = "v1";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A hash that matches no password, checked against when a user does not exist so both cases cost the same.</summary>
    public static string Decoy { get; } = Hash("decoy-password-that-nobody-has");

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Prefix, Version, Iterations.ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 5 || parts[0] != Prefix || parts[1] != Version
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        var salt = Convert.FromBase64String(parts[3]);
        var expected = Convert.FromBase64String(parts[4]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
