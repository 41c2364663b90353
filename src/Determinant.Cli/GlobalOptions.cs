using System.CommandLine;

namespace Determinant.Cli;

/// <summary>The options every command takes: which master, and as which user (one instance per command tree).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Master { get; } = new("--master", "-m")
    {
        Description = "The master's address (else DET_MASTER, else DET_MASTER_ADDR, else localhost:8080).",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user", "-u")
    {
        Description = "Run as this user (its stored token, else a password prompt).",
        Recursive = true,
    };
}
