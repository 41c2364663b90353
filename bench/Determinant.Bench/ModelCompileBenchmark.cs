using System.Diagnostics;
using System.Globalization;
using Determinant.ModelDefinitions;
using Microsoft.CodeAnalysis.CSharp;

namespace Determinant.Bench;

/// <summary>
/// Compiles examples/iris as the master does at experiment creation: first in this process (cold), then warm with a
/// changed file each time (a cache miss), then unchanged (a cache hit); baseline: Roslyn parsing the same files only.
/// </summary>
internal sealed class ModelCompileBenchmark : IBenchmark
{
    private const double WarmTargetMilliseconds = 1000;
    private const double CachedTargetMilliseconds = 50;
    private const int WarmSamples = 15;
    private const int CachedSamples = 200;

    public string Name => "model-compile";

    public string Description =>
        $"compile examples/iris with Roslyn; warm compile under {WarmTargetMilliseconds:0} ms, cache hit under {CachedTargetMilliseconds:0} ms (baseline: parse only)";

    public bool Run(TextWriter output, string repositoryRoot)
    {
        var directory = Path.Combine(repositoryRoot, "examples", "iris");
        if (!File.Exists(Path.Combine(directory, "model_def.cs")))
        {
            output.WriteLine($"   {directory}/model_def.cs is absent; nothing to compile");
            return false;
        }
        var files = ModelDefinitionSources.ReadDirectory(directory);
        var cache = Directory.CreateTempSubdirectory("det-bench-models-");
        try
        {
            var options = new ModelDefinitionCompilerOptions { HarnessDirectory = AppContext.BaseDirectory, CacheDirectory = cache.FullName };
            var compiler = new ModelDefinitionCompiler(options);
            var (coldMs, cold) = Time(() => compiler.Compile(files, "model_def:IrisTrial", CancellationToken.None));
            if (!cold.Success)
            {
                output.WriteLine($"   the example does not compile:{Environment.NewLine}     {string.Join(Environment.NewLine + "     ", cold.Errors)}");
                return false;
            }
            var (loadMs, _) = Time(() => TrialAssemblyLoader.LoadTrialType(cold.AssemblyPath!, cold.TrialTypeName!));

            // A trailing comment changes the content hash, so each of these compiles for real.
            var warm = Median(WarmSamples, i => compiler.Compile(Changed(files, i), "model_def:IrisTrial", CancellationToken.None));
            var cached = Median(CachedSamples, _ => compiler.Compile(files, "model_def:IrisTrial", CancellationToken.None));
            var parse = Median(WarmSamples, _ => files.Select(f => CSharpSyntaxTree.ParseText(f.Text, path: f.Path)).Count());

            var warmedUp = new ModelDefinitionCompiler(new ModelDefinitionCompilerOptions { HarnessDirectory = AppContext.BaseDirectory, CacheDirectory = cache.FullName });
            var (warmUpMs, _) = Time(() => { warmedUp.WarmUp(CancellationToken.None); return 0; });
            var (afterWarmUpMs, _) = Time(() => warmedUp.Compile(Changed(files, -1), "model_def:IrisTrial", CancellationToken.None));
            // As after a master restart: the reference identity is read again before the cache can answer.
            var restarted = new ModelDefinitionCompiler(new ModelDefinitionCompilerOptions { HarnessDirectory = AppContext.BaseDirectory, CacheDirectory = cache.FullName });
            var (firstHitMs, firstHit) = Time(() => restarted.Compile(files, "model_def:IrisTrial", CancellationToken.None));

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {files.Count} file(s), {files.Sum(f => f.Text.Length):N0} chars"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   first compile in this process (cold):   {coldMs,8:F1} ms; loading the trial type {loadMs:F1} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   warm compile, cache miss (median):      {warm,8:F1} ms  ({warm / parse:F0}x baseline)"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   cache hit (median):                     {cached,8:F3} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   baseline, parse only (median):          {parse,8:F2} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   a second compiler: WarmUp {warmUpMs:F1} ms, then its first compile {afterWarmUpMs:F1} ms"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   a third compiler's first call, a cache hit: {firstHitMs:F1} ms (from cache: {firstHit.FromCache})"));
            return warm < WarmTargetMilliseconds && cached < CachedTargetMilliseconds && firstHit.FromCache && firstHitMs < CachedTargetMilliseconds;
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    private static List<SourceFile> Changed(IReadOnlyList<SourceFile> files, int i) =>
        [.. files.Select((f, index) => index == 0 ? f with { Text = f.Text + $"\n// sample {i}\n" } : f)];

    private static (double Milliseconds, T Result) Time<T>(Func<T> action)
    {
        var start = Stopwatch.GetTimestamp();
        var result = action();
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, result);
    }

    private static double Median<T>(int samples, Func<int, T> action)
    {
        var times = Enumerable.Range(0, samples).Select(i => Time(() => action(i)).Milliseconds).Order().ToArray();
        return times[samples / 2];
    }
}
