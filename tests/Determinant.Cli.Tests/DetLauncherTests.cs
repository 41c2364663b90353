using Determinant.Testing;
using System.Diagnostics;

namespace Determinant.Cli.Tests;

/// <summary>The <c>./det</c> launcher script end to end: it builds the CLI when needed and passes the arguments on.</summary>
public sealed class DetLauncherTests
{
    [Fact]
    public async Task Launcher_PrintsTheVersion()
    {
        var (code, output, _) = await RunDetAsync("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public async Task Launcher_PreviewsTheIrisAdaptiveSearch()
    {
        var (code, output, error) = await RunDetAsync("preview-search", "examples/iris/adaptive.yaml");

        Assert.True(code == 0, error);
        Assert.Contains("This search will create a total of 6 trial(s).", output);
        Assert.Contains("      1 | 1 x train 1250 batches, 1 x train 5000 batches", output);
    }

    private static async Task<(int Code, string Output, string Error)> RunDetAsync(params string[] args)
    {
        var start = new ProcessStartInfo(TestRepository.PathOf("det"))
        {
            WorkingDirectory = TestRepository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
