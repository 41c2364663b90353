using System.Diagnostics;

namespace Determinant.Cli.Deploy;

/// <summary>
/// The C# Jupyter kernel of notebook tasks: .NET Interactive in the Determinant cache, installed when missing by
/// build/csharp-kernel.sh (docs/tasks.md, "The C# kernel").
/// </summary>
internal static class CSharpKernel
{
    /// <summary>
    /// Returns the Jupyter data directory that holds the kernel spec (the agent's <c>--jupyter-path</c>), or null when the
    /// install failed: notebooks then offer the Python kernel alone, which is said on <see cref="CliContext.Error"/>.
    /// </summary>
    public static async Task<string?> EnsureInstalledAsync(string root, CliContext context, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(root, "build", "csharp-kernel.sh"));
        using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Failure, "could not run build/csharp-kernel.sh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        while (await process.StandardError.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            context.Error.WriteLine(line);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var data = (await stdout.ConfigureAwait(false)).Trim();
        if (process.ExitCode == 0 && Directory.Exists(data))
            return data;
        context.Error.WriteLine($"warning: the C# notebook kernel could not be installed (build/csharp-kernel.sh exited with {process.ExitCode}); "
            + "notebooks will offer the Python kernel only");
        return null;
    }
}
