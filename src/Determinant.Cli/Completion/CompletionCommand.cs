using System.CommandLine;

namespace Determinant.Cli.Completion;

/// <summary><c>det completion bash|zsh</c>: prints the shell's completion script.</summary>
internal static class CompletionCommand
{
    public static Command Create(CliContext context, RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(det completion bash), or zsh.") { shell };
        command.SetAction(parsed =>
        {
            context.Output.Write(parsed.GetValue(shell) == "zsh" ? CompletionScript.Zsh(root) : CompletionScript.Bash(root));
            return ExitCodes.Success;
        });
        return command;
    }
}
