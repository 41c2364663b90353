using System.Text.Json;
using Determinant.Agent.Hosting;

namespace Determinant.Agent.Sandbox;

/// <summary>Finds this machine's <see cref="SandboxLayout"/> at agent start, and the install paths one launch's argv needs.</summary>
internal static class SandboxLayouts
{
    public static SandboxLayout Discover(AgentOptions options, SandboxPrograms programs)
    {
        ArgumentNullException.ThrowIfNull(options);
        var system = new DirectoryInfo("/").EnumerateFileSystemInfos()
            .Where(e => SandboxLayout.SystemDirectories.Contains(e.Name))
            .Select(e => new RootEntry(e.Name, e.LinkTarget)).ToList();
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot)
            candidates.Add(dotnetRoot);
        if (Slots.SlotDiscovery.FindOnPath("dotnet") is { } dotnet)
            candidates.Add(Path.GetDirectoryName(new FileInfo(dotnet).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet)!);
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages)
            candidates.Add(packages);
        if (!string.IsNullOrEmpty(options.SdkDir))
            candidates.Add(options.SdkDir);
        foreach (var data in (options.JupyterPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(data);
            candidates.AddRange(KernelPrograms(data));
        }
        candidates.AddRange(options.SandboxReadOnlyPaths);
        var workRoot = Path.GetFullPath(options.WorkDir);
        var readOnly = Outside(candidates, workRoot);
        var visible = system.Where(e => e.LinkTarget is null).Select(e => "/" + e.Name).Concat(readOnly).ToList();
        var hidden = new[] { options.TokenFile, workRoot }.OfType<string>().Where(p => p.Length > 0).Select(Path.GetFullPath)
            .Where(p => Path.Exists(p) && visible.Any(v => Under(p, v))).ToList();
        var devices = Directory.EnumerateFileSystemEntries("/dev", "nvidia*").Order(StringComparer.Ordinal).ToList();
        return new SandboxLayout(programs, system, readOnly, devices, hidden);
    }

    /// <summary>The directories of the absolute files a launch's argv names (the harness's build folder), beyond what the layout shows.</summary>
    public static IReadOnlyList<string> ProgramDirectories(SandboxLayout layout, IReadOnlyList<string> argv, string workRoot)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(argv);
        var directories = argv.Where(a => Path.IsPathFullyQualified(a) && File.Exists(a)).Select(a => Path.GetDirectoryName(Path.GetFullPath(a))!);
        return [.. Outside(directories, workRoot).Where(d => !layout.Visible.Any(v => Under(d, v)))];
    }

    /// <summary>The existing paths, full, without system ones, those in the work root, and those inside another of them.</summary>
    private static List<string> Outside(IEnumerable<string> paths, string workRoot)
    {
        var full = paths.Select(p => Path.TrimEndingDirectorySeparator(Path.GetFullPath(p))).Where(Path.Exists)
            .Where(p => p != "/" && !Under(p, workRoot) && !Under(workRoot, p) && !IsSystem(p))
            .Distinct(StringComparer.Ordinal).ToList();
        return [.. full.Where(p => !full.Any(o => o != p && Under(p, o))).Order(StringComparer.Ordinal)];
    }

    private static bool IsSystem(string path) => SandboxLayout.SystemDirectories.Contains(path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0]);

    private static bool Under(string path, string directory) =>
        path == directory || path.StartsWith(Path.TrimEndingDirectorySeparator(directory) + "/", StringComparison.Ordinal);

    /// <summary>The folders of the files the kernel specs under a Jupyter data directory start (the C# kernel's tool).</summary>
    private static IEnumerable<string> KernelPrograms(string dataDirectory)
    {
        var kernels = Path.Combine(dataDirectory, "kernels");
        if (!Directory.Exists(kernels))
            yield break;
        foreach (var spec in Directory.EnumerateFiles(kernels, "kernel.json", SearchOption.AllDirectories))
        {
            var files = new List<string>();
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(spec));
                if (document.RootElement.TryGetProperty("argv", out var argv) && argv.ValueKind == JsonValueKind.Array)
                {
                    // The program, or what it runs: the C# kernel's spec is "dotnet /…/Microsoft.DotNet.Interactive.App.dll …".
                    files.AddRange(argv.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)
                        .Where(a => Path.IsPathFullyQualified(a) && File.Exists(a)));
                }
            }
            catch (JsonException)
            {
                // Not a kernel spec Jupyter could read either.
            }
            foreach (var file in files)
                yield return Path.GetDirectoryName(file)!;
        }
    }
}
