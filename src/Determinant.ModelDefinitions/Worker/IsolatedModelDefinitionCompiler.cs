using System.Globalization;
using System.Text.Json;

namespace Determinant.ModelDefinitions;

/// <summary>
/// Compiles model definitions as <see cref="ModelDefinitionCompiler"/> does, in a worker process with a stack, time and
/// memory limit, so that a program the compiler cannot handle fails its own request and never the calling process.
/// </summary>
/// <remarks>
/// One warm worker serves one compilation at a time (callers queue); it keeps the compiler loaded and its reference
/// symbols built between requests, so a request pays neither a process start nor the compiler's JIT. A worker that
/// crashes, is killed at the time limit, runs out of memory or is abandoned by a cancelled caller is replaced by a fresh
/// one at once, in the background, so that the next request finds it warm. Create one per process, and dispose it to
/// end the worker.
/// </remarks>
public sealed class IsolatedModelDefinitionCompiler : IDisposable
{
    // Starting the worker loads and JIT-compiles the compiler, which a loaded machine may take a while over; the time
    // limit, which may be a second or two, is meant for the user's program.
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    private readonly IsolatedCompilerOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _sync = new();
    private CompileWorkerProcess? _worker;
    private bool _disposed;

    /// <summary>Creates a compiler; the worker starts on the first call, not here.</summary>
    /// <param name="options">The compiler's options, the worker and its limits.</param>
    /// <param name="time">The clock of the time limit; the system clock when null.</param>
    public IsolatedModelDefinitionCompiler(IsolatedCompilerOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Starts the worker and waits until its compiler is warm, so that the first real compilation is fast.</summary>
    /// <exception cref="FileNotFoundException">The harness assembly or the worker program is missing.</exception>
    /// <exception cref="InvalidOperationException">The worker could not load the harness assemblies, or they do not define the trial types.</exception>
    /// <exception cref="ModelCompilerFailedException">The worker ran past a limit or failed while warming up.</exception>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RunningWorkerAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Compiles <paramref name="files"/> in the worker, as <see cref="ModelDefinitionCompiler.Compile"/> does.</summary>
    /// <returns>The worker's result: its errors say what is wrong with the user's code.</returns>
    /// <exception cref="ModelCompilerFailedException">The compiler ran past a limit (<see cref="ModelCompilerFailedException.Limit"/>) or the worker failed.</exception>
    /// <exception cref="ArgumentException">Two files have the same path, or a path is rooted or climbs out with <c>..</c>.</exception>
    /// <exception cref="FileNotFoundException">The harness assembly or the worker program is missing.</exception>
    /// <exception cref="InvalidOperationException">The worker could not load the harness assemblies, or they do not define the trial types.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the worker is ended.</exception>
    public async Task<CompileResult> CompileAsync(IReadOnlyList<SourceFile> files, string entrypoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(entrypoint);
        var request = JsonSerializer.SerializeToUtf8Bytes(new CompileWorkerRequest(entrypoint, files), CompileWorkerJsonContext.Default.CompileWorkerRequest);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var worker = await RunningWorkerAsync(cancellationToken).ConfigureAwait(false);
            var answer = await ExchangeAsync(worker, request, _options.TimeLimit, replaceAfterFailure: true, cancellationToken).ConfigureAwait(false);
            if (answer.Outcome != CompileWorkerOutcome.Compiled)
                throw Failure(answer);
            return new CompileResult(answer.Success, [.. answer.Errors ?? []], answer.AssemblyPath, answer.TrialTypeName, answer.ContentHash, answer.FromCache);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the worker, and any replacement being started.</summary>
    /// <remarks>The gate is left to the collector: a replacement starting in the background may still release it.</remarks>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
                return;
            _disposed = true;
        }
        _lifetime.Cancel();
        Retire();
        _lifetime.Dispose();
    }

    private async Task<CompileWorkerProcess> RunningWorkerAsync(CancellationToken cancellationToken)
    {
        if (_worker is { } running)
            return running;
        var harness = Path.Combine(_options.Compiler.HarnessDirectory, _options.Compiler.HarnessAssemblyName + ".dll");
        // Checked here too, so that a master without a harness starts no process to be told so.
        if (!File.Exists(harness))
            throw new FileNotFoundException($"the harness assembly {_options.Compiler.HarnessAssemblyName}.dll is not in {_options.Compiler.HarnessDirectory}", harness);
        if (!File.Exists(_options.WorkerAssembly))
            throw new FileNotFoundException($"the compile worker {_options.WorkerAssembly} is missing; it is built with the master", _options.WorkerAssembly);

        CompileWorkerProcess worker;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            worker = CompileWorkerProcess.Start(_options);
            _worker = worker;
        }
        var setup = JsonSerializer.SerializeToUtf8Bytes(new CompileWorkerSetup(_options.Compiler, _options.StackMib), CompileWorkerJsonContext.Default.CompileWorkerSetup);
        // A worker that fails to start is not replaced at once: it would most likely fail the same way, again and again.
        var answer = await ExchangeAsync(worker, setup, StartLimit > _options.TimeLimit ? StartLimit : _options.TimeLimit, replaceAfterFailure: false, cancellationToken)
            .ConfigureAwait(false);
        if (answer.Outcome != CompileWorkerOutcome.Ready)
            throw Failure(answer);
        return worker;
    }

    /// <summary>One exchange under a time limit; a worker that gives no answer is ended (and replaced, if so asked) and explained.</summary>
    private async Task<CompileWorkerResponse> ExchangeAsync(
        CompileWorkerProcess worker, byte[] message, TimeSpan limit, bool replaceAfterFailure, CancellationToken cancellationToken)
    {
        var replace = replaceAfterFailure ? Replace : (Action)Retire;
        using var timeout = new CancellationTokenSource(limit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        CompileWorkerResponse? answer;
        try
        {
            answer = await worker.ExchangeAsync(message, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            replace();
            throw new ModelCompilerFailedException(CompilerLimit.Time,
                $"the compiler ran past its time limit of {limit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (OperationCanceledException)
        {
            replace(); // it may be busy for a long while yet
            throw;
        }
        if (answer is null)
        {
            var ended = await EndedAsync(worker).ConfigureAwait(false);
            replace();
            throw ended;
        }
        if (answer.Outcome == CompileWorkerOutcome.MemoryLimit)
            replace(); // it exits after answering
        else if (answer.Outcome is CompileWorkerOutcome.Unavailable)
            Retire(); // a fresh one would fail the same way until the harness is fixed
        return answer;
    }

    /// <summary>Why a worker ended without answering, once it has ended and its stderr is read.</summary>
    private async Task<ModelCompilerFailedException> EndedAsync(CompileWorkerProcess worker)
    {
        // Its stdout is closed, so it is ending; printing the frames of a stack overflow takes a moment.
        using var grace = new CancellationTokenSource(_options.TimeLimit, _time);
        var exitCode = "unknown";
        try
        {
            await worker.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            exitCode = worker.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException)
        {
            // It is killed when replaced.
        }
        if (worker.StackOverflowed)
            return new ModelCompilerFailedException(CompilerLimit.Stack, $"the compiler ran past its stack limit of {_options.StackMib} MiB");
        if (worker.OutOfMemory)
            return MemoryExceeded();
        var said = worker.LastErrorLines;
        return new ModelCompilerFailedException(null, $"the compiler process ended unexpectedly (exit code {exitCode}){(said.Length > 0 ? ": " + said : "")}");
    }

    private Exception Failure(CompileWorkerResponse answer) => answer.Outcome switch
    {
        CompileWorkerOutcome.MemoryLimit => MemoryExceeded(),
        CompileWorkerOutcome.Unavailable => new InvalidOperationException(answer.Message),
        CompileWorkerOutcome.InvalidRequest => new ArgumentException(answer.Message),
        _ => new ModelCompilerFailedException(null, $"the compiler failed: {answer.Message}"),
    };

    private ModelCompilerFailedException MemoryExceeded() =>
        new(CompilerLimit.Memory, $"the compiler ran past its memory limit of {_options.MemoryMib} MiB");

    /// <summary>Ends the worker and starts its successor in the background, so that the next request finds it warm.</summary>
    private void Replace()
    {
        Retire();
        _ = StartReplacementAsync();
    }

    private async Task StartReplacementAsync()
    {
        try
        {
            await WarmUpAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ModelCompilerFailedException or IOException or InvalidOperationException or OperationCanceledException
            or System.ComponentModel.Win32Exception)
        {
            // The next request starts one and reports what fails; an ObjectDisposedException (an InvalidOperationException) means disposed meanwhile.
        }
    }

    private void Retire()
    {
        CompileWorkerProcess? worker;
        lock (_sync)
        {
            worker = _worker;
            _worker = null;
        }
        worker?.Dispose();
    }
}
