namespace Determinant.Config;

/// <summary>A host directory made visible to the task (<c>bind_mounts[]</c>, REFERENCE.md §2.7).</summary>
/// <param name="HostPath">Absolute path on the agent.</param>
/// <param name="ContainerPath">Where the task sees it; relative paths are taken from the working directory.</param>
/// <param name="ReadOnly">Mount read-only.</param>
/// <param name="Propagation">Mount propagation, <c>rprivate</c> by default.</param>
public sealed record BindMount(string HostPath, string ContainerPath, bool ReadOnly = false, string Propagation = "rprivate");
