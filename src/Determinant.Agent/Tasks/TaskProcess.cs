using System.Diagnostics;
using Determinant.Agent.Sandbox;

namespace Determinant.Agent.Tasks;

/// <summary>A started task process and the cgroup it runs in (null when the agent runs unsandboxed).</summary>
internal sealed record TaskProcess(Process Process, TaskCgroup? Cgroup);
