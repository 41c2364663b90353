using System.CommandLine;

namespace Determinant.Cli.Deploy;

/// <summary><c>det deploy local cluster-up|cluster-down</c>.</summary>
internal static class DeployCommand
{
    public static Command Create(CliContext context)
    {
        var local = new Command("local", "A master and one agent on this machine, as background processes.")
        {
            ClusterUpCommand.Create(context),
            ClusterDownCommand.Create(context),
        };
        return new Command("deploy", "Start and stop Determinant clusters.") { local };
    }

    public static Option<string?> DataDirOption() => new("--data-dir")
    {
        Description = "Database, checkpoints, logs and pid files (default ~/.determinant).",
    };
}
