namespace Determinant.Cli.Deploy;

/// <summary>Where a local cluster keeps its things under its data directory.</summary>
internal sealed class LocalClusterLayout(string dataDir)
{
    public string DataDir { get; } = Path.GetFullPath(dataDir);

    public string LogDir => Path.Combine(DataDir, "logs");

    public string RunDir => Path.Combine(DataDir, "run");

    public string MasterLog => Path.Combine(LogDir, "master.log");

    public string AgentLog => Path.Combine(LogDir, "agent.log");

    public PidFile MasterPid => new(Path.Combine(RunDir, "master.pid"));

    public PidFile AgentPid => new(Path.Combine(RunDir, "agent.pid"));

    /// <summary>The master's URL as cluster-up started it, so a second cluster-up can say where it runs.</summary>
    public string MasterUrlFile => Path.Combine(RunDir, "master.url");

    public string AgentWorkDir => Path.Combine(DataDir, "agent");

    /// <summary>The local agent's credential (docs/agent-protocol.md), issued by cluster-up as admin; the agent reads it.</summary>
    public string AgentCredentialFile => Path.Combine(DataDir, "agent_credential");

    /// <summary>The master writes the generated password of <c>admin</c> and <c>determined</c> here (docs/master.md).</summary>
    public string InitialPasswordFile => Path.Combine(DataDir, "initial-password");

    public static string DefaultDataDir(CliContext context) => Path.Combine(context.HomeDirectory, ".determinant");
}
