using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Determinant.Cli.Tests.EndToEnd;

/// <summary>What a child process printed and how it exited.</summary>
internal sealed record ProcessResult(string Command, int Code, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"`{Command}` exited {Code}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs real processes (<c>./det</c>, <c>dotnet run</c>) with an environment of their own and a deadline.</summary>
internal static class ProcessRun
{
    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? input, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var command = string.Join(' ', start.ArgumentList.Prepend(Path.GetFileName(file)));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
            await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{command}` did not end within {timeout.TotalSeconds:0} s\nstdout:\n{await output}\nstderr:\n{await error}");
        }
        return new ProcessResult(command, process.ExitCode, await output, await error);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
