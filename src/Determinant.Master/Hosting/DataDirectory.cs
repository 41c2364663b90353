namespace Determinant.Master.Hosting;

/// <summary>
/// The master's data directory is its owner's alone (0700): it holds the SQLite database, the agent token, the initial
/// password and the compiled models. A missing one is created so; an existing one is tightened, and a shared one (its
/// sticky bit set, as on /tmp) is refused rather than closed to everyone else.
/// </summary>
internal static partial class DataDirectory
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <exception cref="InvalidOperationException">The directory is shared, or its mode cannot be changed.</exception>
    public static void Prepare(string dataDir, ILogger logger)
    {
        var path = Path.GetFullPath(dataDir);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnly);
            return;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & UnixFileMode.StickyBit) != 0)
            throw new InvalidOperationException(
                $"data_dir: {path} is a shared directory (its sticky bit is set, as on /tmp); give the master a directory of its own");
        if ((mode & GroupOrOther) == 0)
            return;
        try
        {
            File.SetUnixFileMode(path, mode & ~GroupOrOther);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InvalidOperationException($"data_dir: {path} is open to other users and its mode cannot be changed to 0700: {e.Message}", e);
        }
        LogTightened(logger, path, Convert.ToString((int)mode, 8));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The data directory {DataDir} was open to other users (mode {Mode}); it is now 0700")]
    private static partial void LogTightened(ILogger logger, string dataDir, string mode);
}
