using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Masters;

/// <summary><c>det master info [--json]</c>.</summary>
internal static class MasterCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the master info as the API returns it." };
        var info = new Command("info", "Show the master's version and cluster.") { json };
        info.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var master = await client.GetMasterInfoAsync(cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(context.Output, JsonOutput.Node(master, ApiJsonContext.Default.MasterInfo));
                return ExitCodes.Success;
            }
            context.Output.Write(new Table("Master", "Version", "Cluster ID", "Cluster Name")
                .Add(client.Master, master.Version, master.ClusterId, master.ClusterName).Render(false));
            return ExitCodes.Success;
        });
        return new Command("master", "Information about the master.") { info };
    }
}
