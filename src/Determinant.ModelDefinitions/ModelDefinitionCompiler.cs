using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Determinant.ModelDefinitions;

/// <summary>
/// Compiles a model definition's <c>*.cs</c> files with Roslyn against the harness and the .NET framework, checks the
/// entrypoint's trial class, and caches the assembly by content hash for trial processes to load.
/// </summary>
/// <remarks>
/// Create one per process and share it: it is thread-safe, and it keeps the references (and the compiler's symbols for
/// them) warm between compilations, which is most of what makes a second compilation fast. See
/// <see cref="TrialAssemblyLoader"/> for the loading side, which needs no Roslyn.
/// </remarks>
public sealed class ModelDefinitionCompiler
{
    private const string AssemblyName = "ModelDefinition";

    private readonly ModelDefinitionCompilerOptions _options;
    private readonly CompiledModelCache _cache;
    private readonly Lazy<ReferenceSet> _references;
    private readonly Lazy<string> _environment;
    private readonly Lazy<(CSharpCompilation Template, TrialClassResolver Resolver)> _template;

    /// <summary>Creates a compiler; it reads the references on first use, not here.</summary>
    /// <exception cref="ArgumentException"><see cref="ModelDefinitionCompilerOptions.HarnessDirectory"/> or
    /// <see cref="ModelDefinitionCompilerOptions.CacheDirectory"/> is empty, or the trial base type is not named.</exception>
    public ModelDefinitionCompiler(ModelDefinitionCompilerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Require(options.HarnessDirectory, nameof(options.HarnessDirectory));
        Require(options.CacheDirectory, nameof(options.CacheDirectory));
        Require(options.TrialBaseType, nameof(options.TrialBaseType));
        Require(options.HarnessAssemblyName, nameof(options.HarnessAssemblyName));
        _options = options;
        _cache = new CompiledModelCache(Path.GetFullPath(options.CacheDirectory));
        _references = new(() => ReferenceSet.Load(Path.GetFullPath(options.HarnessDirectory), options.HarnessAssemblyName));
        _environment = new(() => string.Join('\n', CompilationSettings.Identity, options.TrialBaseType, options.TrialContextType, _references.Value.Identity));
        _template = new(CreateTemplate);
    }

    /// <summary>Compiles <paramref name="files"/> and resolves <paramref name="entrypoint"/>, or returns the cached result of an identical earlier compile.</summary>
    /// <param name="files">The model definition's files; those <see cref="ModelDefinitionSources.IsCompiled"/> rejects are ignored.</param>
    /// <param name="entrypoint"><c>module:Class</c>, such as <c>model_def:IrisTrial</c>; see REFERENCE.md §2.8.</param>
    /// <param name="cancellationToken">Stops parsing and compiling.</param>
    /// <returns>A result whose <see cref="CompileResult.Errors"/> say what is wrong with the user's code; warnings never fail it.</returns>
    /// <exception cref="ArgumentException">Two files have the same path, or a path is rooted or climbs out with <c>..</c>.</exception>
    /// <exception cref="FileNotFoundException">The harness assembly is not in <see cref="ModelDefinitionCompilerOptions.HarnessDirectory"/>.</exception>
    /// <exception cref="InvalidOperationException">The harness assemblies do not define the trial base or context type (a deployment error).</exception>
    /// <exception cref="IOException">The cache directory cannot be written.</exception>
    public CompileResult Compile(IReadOnlyList<SourceFile> files, string entrypoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(entrypoint);
        var sources = Sources(files);
        var hash = ContentHash.Compute(_environment.Value, sources, entrypoint);
        var parsed = TrialEntrypoint.TryParse(entrypoint);
        if (parsed is null)
            return Failed(hash, DiagnosticFormatter.FormatInFile(null, ModelDefinitionErrors.InvalidEntrypoint,
                $"entrypoint '{entrypoint}' is not a trial class 'module:Class' such as model_def:IrisTrial"));
        if (sources.Count == 0)
            return Failed(hash, DiagnosticFormatter.FormatInFile(null, ModelDefinitionErrors.NoSources, "the model definition has no .cs file to compile"));
        if (_cache.TryGet(hash, out var cachedPath, out var cachedType))
            return new CompileResult(true, [], cachedPath, cachedType, hash, FromCache: true);

        var compilation = CreateCompilation(sources, cancellationToken);
        var moduleIsFile = sources.Any(s => s.Path == parsed.ModuleFile);
        var (trialTypeName, trialErrors) = _template.Value.Resolver.Resolve(compilation, parsed, moduleIsFile);
        if (trialErrors.Count > 0)
        {
            // Report the compiler's errors too, without paying for code generation.
            var compilerErrors = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(DiagnosticFormatter.Format);
            return Failed(hash, [.. compilerErrors, .. trialErrors]);
        }

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded), cancellationToken: cancellationToken);
        if (!emitted.Success)
            return Failed(hash, [.. emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(DiagnosticFormatter.Format)]);
        var path = _cache.Store(new CacheManifest(trialTypeName!, entrypoint, hash), image.GetBuffer().AsSpan(0, (int)image.Length));
        return new CompileResult(true, [], path, trialTypeName, hash, FromCache: false);
    }

    /// <summary>
    /// Reads the references and compiles a small trial in memory, so that the first real compilation finds the compiler
    /// loaded, JIT-compiled and its reference symbols built. Call it once at startup, off the request path.
    /// </summary>
    /// <exception cref="FileNotFoundException">The harness assembly is not in <see cref="ModelDefinitionCompilerOptions.HarnessDirectory"/>.</exception>
    /// <exception cref="InvalidOperationException">The harness assemblies do not define the trial base or context type.</exception>
    public void WarmUp(CancellationToken cancellationToken)
    {
        // What it compiles is thrown away, errors included (a base class of another shape only makes the binding shorter).
        var source = $$"""
            namespace WarmUp;
            public sealed class WarmUpTrial { public static int Sum(IEnumerable<int> xs) => xs.Where(x => x > 0).Sum(); }
            public abstract class WarmUpDerived : {{_options.TrialBaseType}} { protected WarmUpDerived() : base(null!) { } }
            """;
        var compilation = CreateCompilation([new SourceFile("warm_up.cs", source)], cancellationToken);
        _ = _template.Value.Resolver.Resolve(compilation, new TrialEntrypoint("warm_up", "WarmUpTrial"), moduleIsFile: true);
        using var image = new MemoryStream();
        _ = compilation.Emit(image, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded), cancellationToken: cancellationToken);
    }

    private CSharpCompilation CreateCompilation(List<SourceFile> sources, CancellationToken cancellationToken)
    {
        var trees = new SyntaxTree[sources.Count + 1];
        trees[0] = CompilationSettings.GlobalUsingsTree;
        for (var i = 0; i < sources.Count; i++)
        {
            // An encoding is required to emit the PDB that gives trial stack traces their file and line.
            var text = SourceText.From(sources[i].Text, Encoding.UTF8, SourceHashAlgorithm.Sha256);
            trees[i + 1] = CSharpSyntaxTree.ParseText(text, CompilationSettings.ParseOptions, sources[i].Path, cancellationToken);
        }
        // Adding trees to the template keeps its reference manager: the referenced assemblies' symbols are built once.
        return _template.Value.Template.AddSyntaxTrees(trees);
    }

    private (CSharpCompilation, TrialClassResolver) CreateTemplate()
    {
        var references = _references.Value.Paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var template = CSharpCompilation.Create(AssemblyName, [], references, CompilationSettings.CompilationOptions);
        var trialBase = template.GetTypeByMetadataName(_options.TrialBaseType)
            ?? throw new InvalidOperationException($"the trial base class {_options.TrialBaseType} is not in the harness assemblies of {_options.HarnessDirectory}");
        var context = _options.TrialContextType is null ? null : template.GetTypeByMetadataName(_options.TrialContextType)
            ?? throw new InvalidOperationException($"the trial context type {_options.TrialContextType} is not in the harness assemblies of {_options.HarnessDirectory}");
        return (template, new TrialClassResolver(trialBase, context));
    }

    private static List<SourceFile> Sources(IReadOnlyList<SourceFile> files)
    {
        var sources = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            ArgumentNullException.ThrowIfNull(file);
            var path = ModelDefinitionSources.Normalize(file.Path);
            if (!seen.Add(path))
                throw new ArgumentException($"the model definition has two files at '{path}'", nameof(files));
            if (ModelDefinitionSources.IsCompiled(path))
                sources.Add(file with { Path = path });
        }
        sources.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return sources;
    }

    private CompileResult Failed(string hash, params IReadOnlyList<string> errors) =>
        new(false, [.. DiagnosticFormatter.Limit(errors, _options.MaxErrors)], null, null, hash, FromCache: false);

    private static void Require(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"ModelDefinitionCompilerOptions.{name} must be set", name);
    }
}
