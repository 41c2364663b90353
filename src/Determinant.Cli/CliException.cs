namespace Determinant.Cli;

/// <summary>A failure a command explains in one message, with the exit code of <see cref="ExitCodes"/> it ends with.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
