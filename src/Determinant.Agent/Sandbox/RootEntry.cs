namespace Determinant.Agent.Sandbox;

/// <summary>One entry of the host's <c>/</c>: a directory bound onto itself, or a symbolic link recreated as one.</summary>
/// <param name="Name">The entry's name, e.g. <c>usr</c>.</param>
/// <param name="LinkTarget">The link's target when the entry is a symbolic link (<c>usr/bin</c> for <c>/bin</c>), else null.</param>
internal sealed record RootEntry(string Name, string? LinkTarget = null);
