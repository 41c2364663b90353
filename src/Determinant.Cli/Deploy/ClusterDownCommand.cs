using System.CommandLine;

namespace Determinant.Cli.Deploy;

/// <summary><c>det deploy local cluster-down [--data-dir DIR]</c>: stops exactly the agent and master that cluster-up recorded.</summary>
internal static class ClusterDownCommand
{
    public static Command Create(CliContext context)
    {
        var dataDir = DeployCommand.DataDirOption();
        var command = new Command("cluster-down", "Stop the local master and agent.") { dataDir };
        command.SetAction((parsed, cancellationToken) => CommandActions.RunAsync(context, async () =>
        {
            var layout = new LocalClusterLayout(parsed.GetValue(dataDir) ?? LocalClusterLayout.DefaultDataDir(context));
            var stoppedAny = false;
            // The agent first: it stops its tasks and reports their exits to the master while the master still runs.
            foreach (var (name, pidFile, grace) in new[] { ("agent", layout.AgentPid, TimeSpan.FromSeconds(30)), ("master", layout.MasterPid, TimeSpan.FromSeconds(20)) })
            {
                if (pidFile.LivePid() is { } pid)
                {
                    var killed = await BackgroundProcess.StopAsync(pidFile, grace, context.Time, cancellationToken).ConfigureAwait(false);
                    context.Output.WriteLine($"Stopped the {name} (pid {pid}{(killed ? ", with SIGKILL after SIGTERM was not enough" : "")})");
                    stoppedAny = true;
                }
                else if (pidFile.Exists)
                    context.Output.WriteLine($"The {name} was not running (removed its stale pid file)");
                if (pidFile.Exists)
                    pidFile.Delete();
            }
            File.Delete(layout.MasterUrlFile);
            if (!stoppedAny)
                context.Output.WriteLine($"No local cluster is running from {layout.DataDir}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
