namespace Determinant.Agent.Sandbox;

/// <summary>A mounted cgroup hierarchy: where it is mounted and which cgroup its root shows.</summary>
internal sealed record CgroupMount(string MountPoint, string Root);
