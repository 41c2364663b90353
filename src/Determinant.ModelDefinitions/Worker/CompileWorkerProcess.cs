using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Determinant.ModelDefinitions;

/// <summary>One running compile worker: a line out on its stdin, a line back from its stdout, and what its stderr said.</summary>
internal sealed class CompileWorkerProcess : IDisposable
{
    private const int KeptErrorLines = 8;

    private readonly Process _process;
    private readonly StreamReader _answers;
    private readonly Queue<string> _lastErrorLines = new();
    private bool _stackOverflowed;
    private bool _outOfMemory;

    private CompileWorkerProcess(Process process)
    {
        _process = process;
        _answers = new StreamReader(process.StandardOutput.BaseStream, new UTF8Encoding(false));
        process.ErrorDataReceived += (_, e) => OnErrorLine(e.Data);
        process.BeginErrorReadLine();
    }

    /// <summary>Whether the runtime reported a stack overflow on stderr (it prints that line, then the stack, then aborts).</summary>
    public bool StackOverflowed
    {
        get { lock (_lastErrorLines) return _stackOverflowed; }
    }

    /// <summary>Whether stderr named an <see cref="OutOfMemoryException"/> (one the worker could not answer for).</summary>
    public bool OutOfMemory
    {
        get { lock (_lastErrorLines) return _outOfMemory; }
    }

    /// <summary>The exit code; only once <see cref="WaitForExitAsync"/> has returned.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the worker wrote to stderr, for a failure that no limit explains.</summary>
    public string LastErrorLines
    {
        get { lock (_lastErrorLines) return string.Join(" | ", _lastErrorLines); }
    }

    /// <summary>Starts the worker with its stack and heap limits in the runtime's environment; it waits for its setup line.</summary>
    /// <exception cref="System.ComponentModel.Win32Exception"><see cref="IsolatedCompilerOptions.DotnetHost"/> cannot be started.</exception>
    public static CompileWorkerProcess Start(IsolatedCompilerOptions options)
    {
        var start = new ProcessStartInfo(options.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(options.WorkerAssembly);
        // The runtime reads both as hexadecimal; the default stack size covers the thread pool, where Roslyn binds in parallel.
        start.Environment["DOTNET_DefaultStackSize"] = Hex(Mib(options.StackMib));
        start.Environment["DOTNET_GCHeapHardLimit"] = Hex(Mib(options.MemoryMib));
        start.Environment["DOTNET_gcServer"] = "0";
        // Fully optimised code from the first call: the start takes 2 to 3 s longer (off the request path), and a compile of
        // examples/iris then takes about 15 ms instead of about 100 (measured on 2 loaded cores): with tiering the
        // compiler's hot paths stayed in their first, unoptimised code for dozens of compilations.
        start.Environment["DOTNET_TieredCompilation"] = "0";
        return new CompileWorkerProcess(Process.Start(start)!);
    }

    /// <summary>Sends <paramref name="message"/> as one line and reads the answer; null when the worker ended without one.</summary>
    public async Task<CompileWorkerResponse?> ExchangeAsync(byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            var input = _process.StandardInput.BaseStream;
            await input.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            input.WriteByte((byte)'\n');
            await input.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            return null; // it has ended: the pipe is closed
        }
        var line = await _answers.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        return line is null ? null : JsonSerializer.Deserialize(line, CompileWorkerJsonContext.Default.CompileWorkerResponse);
    }

    /// <summary>Waits until the worker has ended and its stderr is read to the end.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Ends the worker at once (a no-op once it has ended).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had ended already.
        }
    }

    public void Dispose()
    {
        Kill();
        _answers.Dispose();
        _process.Dispose();
    }

    private void OnErrorLine(string? line)
    {
        if (line is null)
            return;
        lock (_lastErrorLines)
        {
            _stackOverflowed |= line.StartsWith("Stack overflow", StringComparison.Ordinal);
            _outOfMemory |= line.Contains(nameof(System.OutOfMemoryException), StringComparison.Ordinal);
            // The stack of an overflow runs to thousands of lines of frames; what comes before it says more.
            if (!_stackOverflowed || _lastErrorLines.Count < KeptErrorLines)
            {
                _lastErrorLines.Enqueue(line.Length > 300 ? line[..300] : line);
                if (_lastErrorLines.Count > KeptErrorLines)
                    _lastErrorLines.Dequeue();
            }
        }
    }

    private static long Mib(int mib) => mib * 1024L * 1024L;

    private static string Hex(long value) => value.ToString("X", CultureInfo.InvariantCulture);
}
