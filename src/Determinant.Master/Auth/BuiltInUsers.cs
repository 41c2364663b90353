using Determinant.Master.Configuration;
using System.Security.Cryptography;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Auth;

/// <summary>
/// Creates <c>admin</c> (an admin) and <c>determined</c> on first start with the initial password: the one given, or a
/// generated one that is printed once and saved to <c>&lt;data_dir&gt;/initial-password</c>, readable by its owner only.
/// </summary>
internal static partial class BuiltInUsers
{
    public const string PasswordFileName = "initial-password";

    public static async Task EnsureAsync(MasterDbContext db, MasterOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken).ConfigureAwait(false))
            return;
        var password = options.InitialPassword;
        if (string.IsNullOrEmpty(password))
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            var file = Path.Combine(options.DataDir, PasswordFileName);
            // Created owner-only, so that it is never readable by others, not even between writing and a chmod.
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var writer = new StreamWriter(new FileStream(file, create)))
                await writer.WriteAsync((password + "\n").AsMemory(), cancellationToken).ConfigureAwait(false);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            // Printed once, on purpose to stdout and not to the log, so that log shipping never carries it.
            await Console.Out.WriteLineAsync($"Initial password of the built-in users 'admin' and 'determined': {password} (also saved to {file})")
                .ConfigureAwait(false);
            LogGenerated(logger, file);
        }
        var now = time.GetUtcNow().UtcDateTime;
        db.Users.Add(new UserEntity { Username = "admin", Admin = true, PasswordHash = PasswordHasher.Hash(password), CreatedAt = now });
        db.Users.Add(new UserEntity { Username = "determined", PasswordHash = PasswordHasher.Hash(password), CreatedAt = now });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated the initial password of the built-in users; it is in {File}")]
    private static partial void LogGenerated(ILogger logger, string file);
}
