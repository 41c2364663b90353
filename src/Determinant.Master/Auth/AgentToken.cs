using Determinant.Master.Configuration;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Auth;

/// <summary>
/// The shared secret agents send as <c>x-agent-token</c>: read from <c>agent_token_file</c>, or generated there on first
/// start (32 random bytes, base64url, mode 0600) and kept across restarts. An existing file that others could read is
/// made 0600.
/// </summary>
internal sealed class AgentToken(IOptions<MasterOptions> options)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lazy<byte[]> _token = new(() => Encoding.UTF8.GetBytes(LoadOrCreate(options.Value.AgentTokenPath)));

    /// <summary>Reads (or creates) the token now, so that a bad file stops the master at start.</summary>
    public void Ensure() => _ = _token.Value;

    /// <summary>Whether <paramref name="presented"/> is the token, compared in constant time.</summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented.Trim()), _token.Value);

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnly) != 0)
                File.SetUnixFileMode(path, OwnerOnly);
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length == 0)
                throw new InvalidOperationException($"agent_token_file: {path} is empty");
            return existing;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(path, create))
        using (var writer = new StreamWriter(stream))
            writer.Write(token + "\n");
        return token;
    }
}
