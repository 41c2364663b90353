namespace Determinant.Cli;

/// <summary>The exit codes of <c>det</c>; scripts may rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Anything not covered below.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (unknown command or option, missing argument, unreadable file).</summary>
    public const int Usage = 2;

    /// <summary>An experiment config failed validation; every error was printed to stderr.</summary>
    public const int InvalidConfig = 3;

    /// <summary>The named object (experiment, trial, checkpoint, user) does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>Not logged in, wrong password, expired token, not allowed, or too many failed logins (429).</summary>
    public const int AuthFailure = 5;

    /// <summary>The master answered with a server error (5xx) or an answer the CLI does not understand.</summary>
    public const int ServerError = 6;

    /// <summary>The master could not be reached at all (connection refused, DNS, timeout).</summary>
    public const int Unreachable = 7;
}
