using System.Reflection;

namespace Determinant.Harness.Tests;

/// <summary>The build's copy of libLibTorchSharp.so (build/TorchSharpNativeFix.targets).</summary>
public sealed class NativeLibraryPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void OutputLibrary_MarksGlibcxx3432Weak_WhenBuilt()
    {
        var requirement = Assert.Single(ElfVersionNeeds.Read(OutputLibrary()), r => r.Version == Version);

        Assert.Equal("libstdc++.so.6", requirement.File);
        Assert.True(requirement.IsWeak, $"{Version} in {OutputLibrary()} has flags 0x{requirement.Flags:x}, without VER_FLG_WEAK.");
    }

    [Fact]
    public void OutputLibrary_DiffersFromUntouchedPackageCopyInThatFlagOnly_WhenBuilt()
    {
        var package = PackageLibrary();
        var original = ElfVersionNeeds.Read(package);
        var patched = ElfVersionNeeds.Read(OutputLibrary());

        Assert.False(Assert.Single(original, r => r.Version == Version).IsWeak, $"{package} in the NuGet cache was modified.");
        Assert.Equal(
            original.Select(r => r.Version == Version ? r with { Flags = (ushort)(r.Flags | ElfVersionRequirement.Weak) } : r),
            patched);

        var before = File.ReadAllBytes(package);
        var after = File.ReadAllBytes(OutputLibrary());
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.Equal([Assert.Single(patched, r => r.Version == Version).FlagsOffset], changed);
    }

    private static string OutputLibrary()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchRuntime.NativeLibraryFileName),
            Path.Combine(AppContext.BaseDirectory, TorchRuntime.NativeLibraryFileName),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"No {TorchRuntime.NativeLibraryFileName} in the test output {AppContext.BaseDirectory}.");
    }

    private static string PackageLibrary()
    {
        var metadata = typeof(NativeLibraryPatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value);
        var path = Path.Combine(
            metadata["NuGetPackageRoot"]!, "torchsharp", metadata["TorchSharpVersion"]!,
            "runtimes", "linux-x64", "native", TorchRuntime.NativeLibraryFileName);
        Assert.True(File.Exists(path), $"The package's library is not at {path}.");
        return path;
    }
}
