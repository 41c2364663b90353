using System.Runtime.InteropServices;
using TorchSharp;

namespace Determinant.Harness;

/// <summary>Loads TorchSharp's native libraries once per process and explains why when that fails.</summary>
/// <remarks>
/// TorchSharp loads libtorch lazily, on the first tensor, and on failure reports that the package "doesn't
/// contain a reference to libtorch-cpu-linux-x64" whatever the cause. The usual cause on Linux is that
/// <c>libLibTorchSharp.so</c> needs a libstdc++ symbol version (<c>GLIBCXX_3.4.32</c>) that older systems such as
/// Debian 12 lack; the build patches that requirement (docs/torchsharp-on-debian12.md), and this class turns a
/// failure into a message that names the library and the loader's own reason.
/// </remarks>
public static class TorchRuntime
{
    /// <summary>The native library through which TorchSharp calls libtorch on Linux.</summary>
    public const string NativeLibraryFileName = "libLibTorchSharp.so";

    private static readonly Lazy<bool> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads libtorch for the CPU device, or throws if it cannot be loaded.</summary>
    /// <remarks>Safe to call many times and from many threads; only the first call does any work.</remarks>
    /// <exception cref="InvalidOperationException">
    /// The native libraries could not be loaded; the message names the library and, where the loader gives
    /// one, its reason (such as a missing <c>GLIBCXX</c> version). Later calls throw the same exception.
    /// </exception>
    public static void EnsureLoaded() => _ = Loaded.Value;

    private static bool Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(Explain(ex), ex);
        }
    }

    private static string Explain(Exception torchSharpError)
    {
        var intro = $"TorchSharp could not load its native library {NativeLibraryFileName} and libtorch.";
        var advice = "On Linux this is usually a libstdc++ too old for the GLIBCXX_3.4.32 version that TorchSharp's "
            + "library requires (Debian 12 has GLIBCXX_3.4.30); the Determinant build marks that requirement weak in "
            + "its copy of the library (build/TorchSharpNativeFix.targets, docs/torchsharp-on-debian12.md), so check "
            + "that the application was built or published with that fix.";
        var loader = OperatingSystem.IsLinux() ? DescribeLoaderFailure() : null;
        return loader is null
            ? $"{intro} {advice} TorchSharp reported: {torchSharpError.Message}"
            : $"{intro} {loader} {advice} TorchSharp reported: {torchSharpError.Message}";
    }

    // TorchSharp hides the dynamic loader's message; loading the file directly surfaces it (dlerror text).
    private static string? DescribeLoaderFailure()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", NativeLibraryFileName),
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", NativeLibraryFileName),
            Path.Combine(AppContext.BaseDirectory, NativeLibraryFileName),
        ];
        var path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return $"No {NativeLibraryFileName} was found under {AppContext.BaseDirectory}.";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException ex)
        {
            return $"Loading {path} failed: {ex.Message}";
        }
    }
}
