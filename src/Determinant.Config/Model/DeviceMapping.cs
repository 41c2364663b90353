namespace Determinant.Config;

/// <summary>A host device passed into the task's container (<c>resources.devices[]</c>); accepted for compatibility.</summary>
/// <param name="HostPath">The device on the agent, e.g. <c>/dev/infiniband</c>.</param>
/// <param name="ContainerPath">Where the task sees it.</param>
/// <param name="Mode">cgroup permissions, <c>mrw</c> by default.</param>
public sealed record DeviceMapping(string HostPath, string ContainerPath, string Mode = "mrw");
