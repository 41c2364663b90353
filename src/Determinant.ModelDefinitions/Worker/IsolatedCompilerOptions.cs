namespace Determinant.ModelDefinitions;

/// <summary>What <see cref="IsolatedModelDefinitionCompiler"/> compiles with, where its worker is, and the worker's limits.</summary>
public sealed class IsolatedCompilerOptions
{
    /// <summary>The worker program's file name, looked for beside the calling program's assemblies by default.</summary>
    public const string WorkerAssemblyName = "determinant-compile-worker.dll";

    /// <summary>Where the harness and the cache are; the worker compiles with these.</summary>
    public ModelDefinitionCompilerOptions Compiler { get; set; } = new();

    /// <summary>The worker program, run with <see cref="DotnetHost"/>.</summary>
    public string WorkerAssembly { get; set; } = Path.Combine(AppContext.BaseDirectory, WorkerAssemblyName);

    /// <summary>The <c>dotnet</c> that runs the worker: the one running this process when it is <c>dotnet</c>, else the one on PATH.</summary>
    public string DotnetHost { get; set; } =
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

    /// <summary>The stack of every compiler thread, in MiB; a program nested deeper ends the worker.</summary>
    public int StackMib { get; set; } = 16;

    /// <summary>How long one compilation may take before the worker is killed; its start and warm-up may take two minutes or this, the longer.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The worker's heap limit in MiB (the runtime's <c>GCHeapHardLimit</c>).</summary>
    public int MemoryMib { get; set; } = 2048;
}
