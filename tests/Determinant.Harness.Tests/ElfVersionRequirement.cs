namespace Determinant.Harness.Tests;

/// <summary>One Vernaux entry: a symbol version that a library needs from one of its dependencies.</summary>
internal sealed record ElfVersionRequirement(string File, string Version, ushort Flags, int FlagsOffset)
{
    public const ushort Weak = 0x2;

    public bool IsWeak => (Flags & Weak) != 0;
}
