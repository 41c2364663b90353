using System.Globalization;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Auth;

/// <summary>
/// What a new username may be: 1 to <see cref="MaxLength"/> characters, no control or invisible formatting characters,
/// no surrounding whitespace, and unique regardless of case, so that "Alice" cannot pose as "alice" in lists and logs.
/// </summary>
internal static class Usernames
{
    /// <summary>The longest username, in characters.</summary>
    public const int MaxLength = 128;

    /// <exception cref="BadRequestException">The name breaks a rule; the message names it.</exception>
    /// <exception cref="ConflictException">A user of that name exists, in any case.</exception>
    public static async Task RequireNewAsync(MasterDbContext db, string? username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (string.IsNullOrWhiteSpace(username))
            throw new BadRequestException("username must not be empty");
        if (username.Length > MaxLength)
            throw new BadRequestException($"username has {username.Length} characters, over the limit of {MaxLength} (Usernames.MaxLength)");
        if (username.Trim() != username)
            throw new BadRequestException("username must not start or end with whitespace");
        for (var i = 0; i < username.Length; i++)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(username, i) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                throw new BadRequestException(
                    $"username must not contain control or invisible formatting characters: U+{(int)username[i]:X4} at position {i}");
            }
        }
        // The table is small (people, not rows of data), and comparing here folds case the same way on SQLite and PostgreSQL.
        var names = await db.Users.AsNoTracking().Select(u => u.Username).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (names.Find(n => string.Equals(n, username, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw new ConflictException(taken == username
                ? $"user '{username}' already exists"
                : $"user '{username}' would differ from the existing user '{taken}' only in case; usernames are unique regardless of case");
        }
    }
}
