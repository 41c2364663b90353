using System.CommandLine;
using Determinant.Client;

namespace Determinant.Cli.Users;

/// <summary><c>det user login [USER]</c>, <c>det user logout [--all]</c>, <c>det user whoami</c>.</summary>
internal static class LoginCommands
{
    public static Command Login(CliContext context)
    {
        var user = new Argument<string?>("username") { Description = "The user (prompted for when missing).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("login", "Log in and store the token; this user becomes the active user for the master.") { user };
        command.SetSessionAction(context, async (parsed, session, cancellationToken) =>
        {
            var name = parsed.GetValue(user) ?? session.RequestedUser ?? context.Prompt("Username: ", secret: false);
            if (string.IsNullOrWhiteSpace(name))
                throw new CliException(ExitCodes.Usage, "a user name is needed");
            var password = context.Prompt($"Password for user '{name}': ", secret: true) ?? "";
            using var client = await session.LoginAsync(name, password, cancellationToken).ConfigureAwait(false);
            session.Tokens.Save(session.Master, name, client.Token, makeActive: true);
            if (password.Length < 8)
                context.Error.WriteLine("warning: this password is shorter than 8 characters; change it with `det user change-password`");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Logout(CliContext context)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Log out every user stored for this master." };
        var command = new Command("logout", "Revoke the active user's token and forget it.") { all };
        command.SetSessionAction(context, async (parsed, session, cancellationToken) =>
        {
            var users = parsed.GetValue(all)
                ? session.Tokens.Users(session.Master)
                : (session.RequestedUser ?? session.Tokens.ActiveUser(session.Master)) is { } one ? [one] : [];
            if (users.Count == 0)
                throw new CliException(ExitCodes.AuthFailure, $"no user is logged in to {session.Master}");
            foreach (var name in users)
            {
                if (session.Tokens.Token(session.Master, name) is { } token)
                {
                    using var client = new DeterminantClient(session.Master, token, context.ClientOptions);
                    try
                    {
                        await client.LogoutAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (DeterminantApiException e) when (e.StatusCode is not null)
                    {
                        // An expired or revoked token is as logged out as it gets; forget it anyway.
                    }
                }
                session.Tokens.Remove(session.Master, name);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command WhoAmI(CliContext context)
    {
        var command = new Command("whoami", "Print the user the master knows you as.");
        command.SetClientAction(context, async (_, client, cancellationToken) =>
        {
            var me = await client.GetMeAsync(cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"You are logged in as user '{me.Username}'");
            return ExitCodes.Success;
        });
        return command;
    }
}
