using System.CommandLine;
using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Users;

/// <summary><c>det user create</c>, <c>det user list</c>, <c>det user link-with-agent-user</c>, <c>det user change-password</c>.</summary>
internal static class AccountCommands
{
    public static Command CreateUser(CliContext context)
    {
        var name = new Argument<string>("username") { Description = "The new user's name." };
        var password = new Option<string>("--password") { Description = "The new user's password.", Required = true };
        var admin = new Option<bool>("--admin") { Description = "Make the user an admin." };
        var command = new Command("create", "Create a user (admins only).") { name, password, admin };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var user = await client.CreateUserAsync(parsed.GetRequiredValue(name), parsed.GetRequiredValue(password), parsed.GetValue(admin),
                cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Created user '{user.Username}'{(user.Admin ? " (admin)" : "")}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List(CliContext context)
    {
        var csv = new Option<bool>("--csv") { Description = "Print CSV." };
        var command = new Command("list", "List the users.") { csv };
        command.Aliases.Add("ls");
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var users = await client.ListUsersAsync(cancellationToken).ConfigureAwait(false);
            var table = new Table("ID", "Username", "Admin", "Active");
            foreach (var user in users)
                table.Add(Formats.Int(user.Id), user.Username, user.Admin ? "True" : "False", user.Active ? "True" : "False");
            context.Output.Write(table.Render(parsed.GetValue(csv)));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command LinkWithAgentUser(CliContext context)
    {
        var name = new Argument<string>("username") { Description = "The user whose tasks will run as the agent user." };
        var uid = new Option<int>("--agent-uid") { Description = "The agent user's uid (not 0).", Required = true };
        var gid = new Option<int>("--agent-gid") { Description = "The agent user's gid (not 0).", Required = true };
        var user = new Option<string?>("--agent-user") { Description = "The agent user's name, for logs." };
        var command = new Command("link-with-agent-user",
            "Run a user's tasks as this unprivileged account on the agents (admins only); from their next task on.") { name, uid, gid, user };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var target = await FindAsync(client, parsed.GetRequiredValue(name), cancellationToken).ConfigureAwait(false);
            var link = new AgentUserGroup(parsed.GetValue(uid), parsed.GetValue(gid), parsed.GetValue(user));
            await client.LinkWithAgentUserAsync(target.Id, link, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine(
                $"User '{target.Username}' is linked with agent user {link.AgentUser ?? "(unnamed)"} (uid {link.AgentUid}, gid {link.AgentGid})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<UserDto> FindAsync(DeterminantClient client, string username, CancellationToken cancellationToken) =>
        (await client.ListUsersAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(u => u.Username == username)
        ?? throw new CliException(ExitCodes.NotFound, $"user '{username}' not found");

    public static Command ChangePassword(CliContext context)
    {
        var name = new Argument<string?>("username") { Description = "Whose password (default: yours).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("change-password",
            "Change your password (asks for the current one), or, as an admin, anyone's. Signs that user out everywhere else.") { name };
        command.SetClientAction(context, async (parsed, client, cancellationToken) =>
        {
            var me = await client.GetMeAsync(cancellationToken).ConfigureAwait(false);
            var target = parsed.GetValue(name) ?? me.Username;
            var user = target == me.Username ? me : await FindAsync(client, target, cancellationToken).ConfigureAwait(false);
            // Only an admin setting someone else's password goes without the current one (the master insists).
            var old = user.Id == me.Id ? context.Prompt($"Current password for user '{target}': ", secret: true) ?? "" : null;
            var password = context.Prompt($"New password for user '{target}': ", secret: true) ?? "";
            var again = context.Prompt("Confirm password: ", secret: true) ?? "";
            if (password != again)
                throw new CliException(ExitCodes.Usage, "the passwords do not match");
            if (password.Length == 0)
                throw new CliException(ExitCodes.Usage, "the password must not be empty");
            await client.ChangePasswordAsync(user.Id, password, old, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"Password for user '{target}' has been changed");
            return ExitCodes.Success;
        });
        return command;
    }
}
