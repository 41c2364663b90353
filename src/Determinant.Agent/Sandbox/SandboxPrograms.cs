namespace Determinant.Agent.Sandbox;

/// <summary>The programs that set a sandbox up, as absolute paths.</summary>
/// <param name="Env">coreutils' <c>env</c> (signal dispositions).</param>
/// <param name="Bwrap">bubblewrap.</param>
/// <param name="Setpriv">util-linux' <c>setpriv</c> (the switch to the task user).</param>
/// <param name="Shell">A POSIX shell (joins the cgroup, runs <c>startup-hook.sh</c>).</param>
internal sealed record SandboxPrograms(string Env, string Bwrap, string Setpriv, string Shell);
