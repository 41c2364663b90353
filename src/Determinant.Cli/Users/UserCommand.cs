using System.CommandLine;

namespace Determinant.Cli.Users;

/// <summary><c>det user login|logout|whoami|create|list|change-password|link-with-agent-user</c>.</summary>
internal static class UserCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("user", "Log in and out, and manage user accounts.")
        {
            LoginCommands.Login(context),
            LoginCommands.Logout(context),
            LoginCommands.WhoAmI(context),
            AccountCommands.CreateUser(context),
            AccountCommands.List(context),
            AccountCommands.ChangePassword(context),
            AccountCommands.LinkWithAgentUser(context),
        };
        command.Aliases.Add("u");
        return command;
    }
}
