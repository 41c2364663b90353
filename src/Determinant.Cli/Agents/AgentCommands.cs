using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Cli.Session;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Agents;

/// <summary><c>det agent list</c>, <c>det agent credential create|revoke</c> and <c>det slot list</c>: the cluster's agents and their slots, from <c>GET /api/v1/agents</c>.</summary>
internal static class AgentCommands
{
    public static Command Agent(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the agents as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var list = new Command("list", "List the agents.") { json, csv };
        list.Aliases.Add("ls");
        list.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var agents = (await client.ListAgentsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(a => a.Id, StringComparer.Ordinal);
            return ListOutput.Write(context.Output, agents, ApiJsonContext.Default.AgentDto, parsed.GetValue(json), parsed.GetValue(csv),
                ["Agent ID", "Registered Time", "Slots", "Containers", "Resource Pool", "Enabled", "Sandboxed", "Addresses"],
                agent => [agent.Id, Formats.Time(agent.RegisteredTime), Formats.Int(agent.Slots.Count),
                    Formats.Int(agent.Slots.Select(s => s.AllocationId).OfType<string>().Distinct(StringComparer.Ordinal).Count()),
                    agent.ResourcePool, agent.Slots.Any(s => s.Enabled) ? "True" : "False",
                    agent.Sandboxed switch { true => "True", false => "False", null => "" }, agent.Hostname]);
        });
        var command = new Command("agent", "Inspect the cluster's agents and manage their credentials.") { list, Credential(context) };
        command.Aliases.Add("a");
        return command;
    }

    /// <summary>
    /// <c>det agent credential create AGENT_ID [-o FILE]</c> and <c>revoke AGENT_ID</c> (admins only): the credential an
    /// agent registers with (its <c>--token-file</c>), good for that agent id alone.
    /// </summary>
    private static Command Credential(CliContext context)
    {
        var createId = new Argument<string>("agent_id") { Description = "The agent the credential is for." };
        var output = new Option<string?>("--output", "-o") { Description = "Write it to this new file (mode 0600) instead of printing it." };
        var create = new Command("create", "Issue a credential for an agent; its earlier one stops working.") { createId, output };
        create.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var agentId = parsed.GetRequiredValue(createId);
            var credential = await client.CreateAgentCredentialAsync(agentId, cancellationToken).ConfigureAwait(false);
            if (parsed.GetValue(output) is not { } file)
            {
                context.Output.WriteLine(credential);
                return ExitCodes.Success;
            }
            await SecretFile.WriteAsync(file, credential, FileMode.Create, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Wrote the credential of agent '{agentId}' to {file}; start the agent with --agent-id {agentId} --token-file {file}");
            return ExitCodes.Success;
        });
        var revokeId = new Argument<string>("agent_id") { Description = "The agent whose credential to revoke." };
        var revoke = new Command("revoke", "Revoke an agent's credential; the agent is disconnected and its tasks are rescheduled.") { revokeId };
        revoke.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var agentId = parsed.GetRequiredValue(revokeId);
            await client.RevokeAgentCredentialAsync(agentId, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Revoked the credential of agent '{agentId}'");
            return ExitCodes.Success;
        });
        return new Command("credential", "Issue and revoke agents' credentials (admins only).") { create, revoke };
    }

    public static Command Slot(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the slots as the API returns them." };
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var list = new Command("list", "List every agent's slots.") { json, csv };
        list.Aliases.Add("ls");
        list.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var agents = (await client.ListAgentsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
            if (parsed.GetValue(json))
            {
                JsonOutput.Write(context.Output, JsonOutput.Array(agents.SelectMany(a => a.Slots).ToList(), ApiJsonContext.Default.SlotDto));
                return ExitCodes.Success;
            }
            var table = new Table("Agent ID", "Resource Pool", "Slot ID", "Enabled", "Draining", "Allocation ID", "Task Name", "Type", "Device");
            foreach (var agent in agents)
                foreach (var slot in agent.Slots.OrderBy(s => s.Id))
                    table.Add(agent.Id, agent.ResourcePool, Formats.Int(slot.Id), slot.Enabled ? "True" : "False", "False",
                        slot.AllocationId ?? "FREE", "", slot.Type, slot.Device ?? "");
            context.Output.Write(table.Render(parsed.GetValue(csv)));
            return ExitCodes.Success;
        });
        var command = new Command("slot", "Inspect the cluster's slots.") { list };
        command.Aliases.Add("s");
        return command;
    }
}
