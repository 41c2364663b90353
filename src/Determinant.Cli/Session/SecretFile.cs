namespace Determinant.Cli.Session;

/// <summary>A secret (an agent's credential) written to a file only its owner may read or write (0600).</summary>
internal static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes <paramref name="secret"/> and a newline. <paramref name="mode"/> <see cref="FileMode.CreateNew"/> refuses an
    /// existing file; <see cref="FileMode.Create"/> replaces it, and an existing file that others could read is made 0600.
    /// </summary>
    public static async Task WriteAsync(string path, string secret, FileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        await using (var writer = new StreamWriter(new FileStream(path, options)))
            await writer.WriteLineAsync(secret.AsMemory(), cancellationToken).ConfigureAwait(false);
        // UnixCreateMode applies only to a file this call created.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, OwnerOnly);
    }
}
