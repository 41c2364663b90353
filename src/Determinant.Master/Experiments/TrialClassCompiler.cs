using Determinant.Master.Configuration;
using System.Text;
using System.Text.Json;
using Determinant.Master.Errors;
using Determinant.ModelDefinitions;
using Determinant.Protocol.Api;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Experiments;

/// <summary>
/// Compiles a trial-class model definition at submit (Roslyn, against the harness in <c>harness_dir</c>, cached under
/// <c>&lt;data_dir&gt;/compiled</c>) and returns the files to add to its archive: <c>.determinant/model.dll</c> and
/// <c>.determinant/model.json</c> (the trial class), so trial processes load the assembly and never run the compiler.
/// </summary>
/// <remarks>
/// The compiler runs in a warm worker process under the <c>model_compile_*</c> limits, never in the master: a program
/// that overflows the compiler's stack (a few thousand nested lambdas), runs it too long or too large ends the worker,
/// and its submit gets a 400 naming the limit.
/// </remarks>
internal sealed class TrialClassCompiler(IOptions<MasterOptions> options, TimeProvider time) : IDisposable
{
    public const string AssemblyPath = ".determinant/model.dll";
    public const string ManifestPath = ".determinant/model.json";

    private readonly IsolatedModelDefinitionCompiler _compiler = new(new IsolatedCompilerOptions
    {
        Compiler = new ModelDefinitionCompilerOptions { HarnessDirectory = options.Value.HarnessDirectory, CacheDirectory = options.Value.CompiledModelDir },
        StackMib = options.Value.ModelCompileStackMib,
        TimeLimit = TimeSpan.FromSeconds(options.Value.ModelCompileTimeoutSeconds),
        MemoryMib = options.Value.ModelCompileMemoryMib,
    }, time);

    /// <summary>Starts the compile worker and warms its compiler (off the request path, at start).</summary>
    /// <exception cref="FileNotFoundException">The harness or the worker program is missing.</exception>
    /// <exception cref="InvalidOperationException">The harness does not define the trial types.</exception>
    /// <exception cref="ModelCompilerFailedException">The worker failed while warming up.</exception>
    public Task WarmUpAsync(CancellationToken cancellationToken) => _compiler.WarmUpAsync(cancellationToken);

    /// <exception cref="ModelDefinitionCompileException">The code does not compile, or the class is not a usable trial.</exception>
    /// <exception cref="BadRequestException">The compiler ran past one of its limits, or its process failed on this program.</exception>
    /// <exception cref="UnavailableException">The harness is not where <c>harness_dir</c> says, or the compile worker cannot be started.</exception>
    public async Task<IReadOnlyList<ModelDefinitionFile>> CompileAsync(IReadOnlyList<ModelDefinitionFile> files, string entrypoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sources = files.Where(f => f.Type == ModelDefinitionFile.RegularFile && ModelDefinitionSources.IsCompiled(f.Path))
            .Select(f => new SourceFile(f.Path, Encoding.UTF8.GetString(Convert.FromBase64String(f.Content ?? ""))))
            .ToList();
        CompileResult result;
        try
        {
            result = await _compiler.CompileAsync(sources, entrypoint, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelCompilerFailedException e)
        {
            throw new BadRequestException($"the model definition could not be compiled: {e.Message}{LimitKey(e.Limit)}");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            throw new UnavailableException(
                $"the master cannot compile trial classes: {e.Message}; build the harness runner (dotnet build src/Determinant.Harness.Runner "
                + $"-c Release -o .det-build/harness) or point harness_dir (--harness-dir) at it (now {options.Value.HarnessDirectory})");
        }
        if (!result.Success)
            throw new ModelDefinitionCompileException(result.Errors);
        var manifest = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["trialTypeName"] = result.TrialTypeName!,
            ["entrypoint"] = entrypoint,
            ["contentHash"] = result.ContentHash,
        });
        return
        [
            new ModelDefinitionFile(".determinant", ModelDefinitionFile.Directory, "", Mode: 0x1ED),
            new ModelDefinitionFile(AssemblyPath, ModelDefinitionFile.RegularFile, Convert.ToBase64String(File.ReadAllBytes(result.AssemblyPath!))),
            new ModelDefinitionFile(ManifestPath, ModelDefinitionFile.RegularFile, Convert.ToBase64String(Encoding.UTF8.GetBytes(manifest))),
        ];
    }

    /// <summary>Ends the compile worker.</summary>
    public void Dispose() => _compiler.Dispose();

    private static string LimitKey(CompilerLimit? limit) => limit switch
    {
        CompilerLimit.Stack => " (model_compile_stack_mib)",
        CompilerLimit.Time => " (model_compile_timeout_seconds)",
        CompilerLimit.Memory => " (model_compile_memory_mib)",
        _ => "",
    };
}
