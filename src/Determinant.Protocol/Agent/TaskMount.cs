namespace Determinant.Protocol.Agent;

/// <summary>A host directory or file the task sees at <paramref name="ContainerPath"/> (a config's <c>bind_mounts</c>, its checkpoint storage).</summary>
/// <param name="HostPath">The absolute path on the agent's machine.</param>
/// <param name="ContainerPath">Where the task sees it: absolute, or relative to the task's working directory.</param>
/// <param name="ReadOnly">Mounted read-only.</param>
/// <param name="Propagation">Mount propagation: <c>rprivate</c> (default), <c>private</c>, <c>rshared</c>, <c>shared</c>, <c>rslave</c>, <c>slave</c>.</param>
/// <param name="CheckpointStorage">
/// The task's checkpoint storage (not one of its <c>bind_mounts</c>): the agent creates it when missing and makes it
/// writable for the task user (docs/security.md).
/// </param>
public sealed record TaskMount(string HostPath, string ContainerPath, bool ReadOnly = false, string Propagation = "rprivate", bool CheckpointStorage = false);
