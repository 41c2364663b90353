using System.Diagnostics;

namespace Determinant.Cli.Deploy;

/// <summary>Builds a component (Release) into <c>.det-build/NAME</c> when it is missing or stale, through build/det-build.sh.</summary>
internal static class ComponentBuilder
{
    /// <summary>Returns the output directory once it holds an up-to-date build.</summary>
    public static Task<string> EnsureBuiltAsync(string root, string project, string name, CliContext context, CancellationToken cancellationToken) =>
        EnsureBuiltAsync(root, project, name, publish: false, context, cancellationToken);

    /// <summary>
    /// Returns the output directory once it holds an up-to-date build or, with <paramref name="publish"/>, a publish for
    /// linux-x64: every dependency and native library flat in the folder.
    /// </summary>
    public static async Task<string> EnsureBuiltAsync(
        string root, string project, string name, bool publish, CliContext context, CancellationToken cancellationToken)
    {
        var output = Path.Combine(root, ".det-build", name);
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(root, "build", "det-build.sh"));
        start.ArgumentList.Add(project);
        start.ArgumentList.Add(output);
        if (publish)
            start.ArgumentList.Add("--publish");
        using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Failure, "could not run build/det-build.sh");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        // Progress lines ("building … (Release)") go to the user as they come.
        while (await process.StandardError.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            context.Error.WriteLine(line);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await stdout.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new CliException(ExitCodes.Failure, $"building {project} failed (exit code {process.ExitCode}); see the output above");
        return output;
    }
}
