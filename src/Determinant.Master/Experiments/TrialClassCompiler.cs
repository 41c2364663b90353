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
internal sealed class TrialClassCompiler(IOptions<MasterOptions> options)
{
    public const string AssemblyPath = ".determinant/model.dll";
    public const string ManifestPath = ".determinant/model.json";

    private readonly Lazy<ModelDefinitionCompiler> _compiler = new(() => new ModelDefinitionCompiler(new ModelDefinitionCompilerOptions
    {
        HarnessDirectory = options.Value.HarnessDirectory,
        CacheDirectory = options.Value.CompiledModelDir,
    }));

    /// <summary>Loads the compiler and the harness references (off the request path, at start).</summary>
    public void WarmUp(CancellationToken cancellationToken) => _compiler.Value.WarmUp(cancellationToken);

    /// <exception cref="ModelDefinitionCompileException">The code does not compile, or the class is not a usable trial.</exception>
    /// <exception cref="UnavailableException">The harness is not where <c>harness_dir</c> says.</exception>
    public IReadOnlyList<ModelDefinitionFile> Compile(IReadOnlyList<ModelDefinitionFile> files, string entrypoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sources = files.Where(f => f.Type == ModelDefinitionFile.RegularFile && ModelDefinitionSources.IsCompiled(f.Path))
            .Select(f => new SourceFile(f.Path, Encoding.UTF8.GetString(Convert.FromBase64String(f.Content ?? ""))))
            .ToList();
        CompileResult result;
        try
        {
            result = _compiler.Value.Compile(sources, entrypoint, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
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
}
