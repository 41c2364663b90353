using System.Text;
using System.Text.Json;

namespace Determinant.ModelDefinitions;

/// <summary>
/// The loop of a compile worker process (<c>determinant-compile-worker</c>): reads a setup line, then compiles one request
/// per line of stdin and answers each with a line on stdout, until stdin closes.
/// </summary>
/// <remarks>
/// The compiler runs on a thread of the setup's stack size; the process that starts the worker gives the runtime's other
/// threads the same default (Roslyn binds method bodies in parallel) and caps its heap. A program too deep for that stack
/// ends this process with a stack overflow, which no code can catch: that is why compilation lives in its own process.
/// See <see cref="IsolatedModelDefinitionCompiler"/> for the other side.
/// </remarks>
public static class CompileWorker
{
    /// <summary>Exit code after input ended.</summary>
    public const int Finished = 0;

    /// <summary>Exit code when the setup could not be read or the harness could not be loaded (the answer says which).</summary>
    public const int SetupFailed = 2;

    /// <summary>Exit code after the compiler ran out of memory, whose aftermath this process does not trust.</summary>
    public const int OutOfMemory = 3;

    /// <summary>Serves compilations from <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <param name="input">The setup line, then one request per line (UTF-8 JSON).</param>
    /// <param name="output">One answer per line (UTF-8 JSON); nothing else may write to it.</param>
    /// <returns><see cref="Finished"/>, <see cref="SetupFailed"/> or <see cref="OutOfMemory"/>.</returns>
    public static int Run(Stream input, Stream output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var reader = new StreamReader(input, new UTF8Encoding(false));
        if (reader.ReadLine() is not { } setupLine)
            return Finished;
        var setup = JsonSerializer.Deserialize(setupLine, CompileWorkerJsonContext.Default.CompileWorkerSetup);
        if (setup is null || setup.StackMib < 1)
        {
            Write(output, new CompileWorkerResponse(CompileWorkerOutcome.InvalidRequest, "the setup line is not a compile worker setup"));
            return SetupFailed;
        }
        var stackBytes = setup.StackMib * 1024 * 1024;
        var compiler = new ModelDefinitionCompiler(setup.Compiler);
        var ready = OnCompilerThread(stackBytes, () =>
        {
            compiler.WarmUp(CancellationToken.None);
            return new CompileWorkerResponse(CompileWorkerOutcome.Ready);
        });
        Write(output, ready);
        if (ready.Outcome != CompileWorkerOutcome.Ready)
            return ready.Outcome == CompileWorkerOutcome.MemoryLimit ? OutOfMemory : SetupFailed;

        while (reader.ReadLine() is { } line)
        {
            var request = JsonSerializer.Deserialize(line, CompileWorkerJsonContext.Default.CompileWorkerRequest);
            var answer = request is null
                ? new CompileWorkerResponse(CompileWorkerOutcome.InvalidRequest, "the request line is not a compile request")
                : OnCompilerThread(stackBytes, () => Compile(compiler, request));
            Write(output, answer);
            if (answer.Outcome == CompileWorkerOutcome.MemoryLimit)
                return OutOfMemory;
        }
        return Finished;
    }

    private static CompileWorkerResponse Compile(ModelDefinitionCompiler compiler, CompileWorkerRequest request)
    {
        var result = compiler.Compile(request.Files, request.Entrypoint, CancellationToken.None);
        return new CompileWorkerResponse(CompileWorkerOutcome.Compiled, null, result.Success, result.Errors, result.AssemblyPath,
            result.TrialTypeName, result.ContentHash, result.FromCache);
    }

    private static CompileWorkerResponse OnCompilerThread(int stackBytes, Func<CompileWorkerResponse> work)
    {
        CompileWorkerResponse? answer = null;
        var thread = new Thread(() => answer = Guarded(work), stackBytes) { Name = "model compiler" };
        thread.Start();
        thread.Join();
        return answer!;
    }

    private static CompileWorkerResponse Guarded(Func<CompileWorkerResponse> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (Innermost(e) is OutOfMemoryException memory)
        {
            return new CompileWorkerResponse(CompileWorkerOutcome.MemoryLimit, memory.Message);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            return new CompileWorkerResponse(CompileWorkerOutcome.Unavailable, e.Message);
        }
        catch (ArgumentException e)
        {
            return new CompileWorkerResponse(CompileWorkerOutcome.InvalidRequest, e.Message);
        }
#pragma warning disable CA1031 // Any other failure is answered, so that the master can report it and this process serve on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new CompileWorkerResponse(CompileWorkerOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    // Roslyn binds and emits in parallel, so an out-of-memory may arrive wrapped.
    private static Exception Innermost(Exception e) =>
        e is AggregateException { InnerExceptions: [var only] } ? Innermost(only) : e.InnerException is OutOfMemoryException inner ? inner : e;

    private static void Write(Stream output, CompileWorkerResponse response)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(response, CompileWorkerJsonContext.Default.CompileWorkerResponse);
        output.Write(line);
        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
