namespace Determinant.Master.Auth;

/// <summary>
/// What a new password must be: at least <see cref="MinLength"/> characters, as Determined asks (it also wants mixed case
/// and a digit; we ask for length only, as NIST SP 800-63B advises). Existing passwords are not checked at login.
/// </summary>
internal static class PasswordPolicy
{
    public const int MinLength = 8;

    /// <summary>The rule <paramref name="password"/> breaks, named with the limit; null when it is acceptable.</summary>
    /// <remarks>Characters are Unicode scalar values, so an emoji counts once.</remarks>
    public static string? Problem(string? password) =>
        password is null || password.EnumerateRunes().Count() < MinLength ? $"must be at least {MinLength} characters long" : null;
}
