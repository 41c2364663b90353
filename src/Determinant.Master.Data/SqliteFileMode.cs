using Microsoft.Data.Sqlite;

namespace Determinant.Master.Data;

/// <summary>
/// Keeps an SQLite database readable by its owner only (0600). A new file is created empty with that mode before SQLite
/// opens it, and SQLite gives the <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files the database's mode; existing files
/// that others could read are tightened.
/// </summary>
public static class SqliteFileMode
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] Companions = ["", "-wal", "-shm", "-journal"];

    /// <summary>Applies the mode to the file of <paramref name="connectionString"/>; an in-memory database is left alone.</summary>
    public static void Restrict(string? connectionString)
    {
        if (OperatingSystem.IsWindows() || connectionString is null)
            return;
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var source = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(source) || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            return;
        var path = Path.GetFullPath(source);
        if (!File.Exists(path) && builder.Mode is SqliteOpenMode.ReadWriteCreate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                using var created = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly,
                });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first; its mode is checked below.
            }
        }
        foreach (var suffix in Companions)
        {
            var file = path + suffix;
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerOnly) != 0)
                File.SetUnixFileMode(file, OwnerOnly);
        }
    }
}
