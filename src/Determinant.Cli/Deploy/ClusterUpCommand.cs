using System.CommandLine;
using System.Globalization;
using System.Net;

namespace Determinant.Cli.Deploy;

/// <summary>
/// <c>det deploy local cluster-up</c>: builds the master, agent and harness when stale, starts the master and one agent in
/// their own sessions, waits until the master is healthy, and says how to log in. Idempotent: live processes are kept.
/// </summary>
internal static class ClusterUpCommand
{
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port") { Description = "The master's HTTP port.", DefaultValueFactory = _ => 8080 };
        var dataDir = DeployCommand.DataDirOption();
        var slots = new Option<int?>("--slots") { Description = "Slots the agent offers (default: one per GPU, else one per CPU core)." };
        var password = new Option<string?>("--initial-password") { Description = "Password of 'admin' and 'determined' on first start (default: generated)." };
        var db = new Option<string>("--db") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        db.AcceptOnlyFromAmong("sqlite", "postgres");
        var dbUrl = new Option<string?>("--db-url") { Description = "Connection string (required for postgres)." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the master to become healthy.", DefaultValueFactory = _ => 120 };
        var listen = new Option<string>("--listen")
        {
            Description = "The address the master listens on: 127.0.0.1 (this machine only) unless given; 0.0.0.0 for every interface.",
            DefaultValueFactory = _ => LocalClusterSettings.DefaultListen.ToString(),
        };
        var unsandboxed = new Option<bool>("--unsandboxed")
        {
            Description = "Run the agent's tasks without the sandbox, as the agent's own user (the default when not root; docs/security.md).",
        };
        var command = new Command("cluster-up", "Start a master and one agent on this machine.") { port, dataDir, slots, password, db, dbUrl, timeout, listen, unsandboxed };
        command.SetAction((parsed, cancellationToken) => CommandActions.RunAsync(context, () =>
        {
            var address = parsed.GetRequiredValue(listen);
            if (!IPAddress.TryParse(address, out var listenAddress))
                throw new CliException(ExitCodes.Usage, $"--listen '{address}' must be an IP address such as 127.0.0.1 or 0.0.0.0");
            var settings = new LocalClusterSettings(
                new LocalClusterLayout(parsed.GetValue(dataDir) ?? LocalClusterLayout.DefaultDataDir(context)),
                parsed.GetValue(port), parsed.GetValue(slots) ?? SlotCount.Default(), parsed.GetValue(password),
                parsed.GetRequiredValue(db), parsed.GetValue(dbUrl), TimeSpan.FromSeconds(parsed.GetValue(timeout)), listenAddress,
                parsed.GetValue(unsandboxed));
            if (settings.Port is < 1 or > 65535)
                throw new CliException(ExitCodes.Usage, $"--port {settings.Port} must be between 1 and 65535");
            if (settings.Slots < 0)
                throw new CliException(ExitCodes.Usage, $"--slots {settings.Slots} must be 0 or more");
            if (settings.Db == "postgres" && string.IsNullOrWhiteSpace(settings.DbUrl))
                throw new CliException(ExitCodes.Usage, "--db postgres needs --db-url");
            return new LocalCluster(settings, context).UpAsync(cancellationToken);
        }));
        return command;
    }
}
