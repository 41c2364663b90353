using System.Runtime.InteropServices;

namespace Determinant.Agent.Sandbox;

/// <summary>The few libc calls the sandbox needs that .NET has no API for.</summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    /// <summary>The uid owning <paramref name="path"/> (statx(2), whose layout is the same on every architecture), or null.</summary>
    public static unsafe uint? Owner(string path)
    {
        const int AtFdCwd = -100;
        const uint StatxUid = 0x8;
        var buffer = stackalloc byte[256];
        return Statx(AtFdCwd, path, 0, StatxUid, buffer) == 0 ? *(uint*)(buffer + 20) : null;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Lchown(string path, int owner, int group);
}
