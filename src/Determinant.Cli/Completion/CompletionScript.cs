using System.CommandLine;
using System.Text;

namespace Determinant.Cli.Completion;

/// <summary>
/// Shell completion for <c>det</c>, generated from the command tree: for each command path (aliases included) its
/// subcommands and options. The script needs no call back into <c>det</c>, so a TAB costs no process start; where
/// nothing matches (a CONFIG or MODEL_DIR argument), the shell completes file names.
/// </summary>
internal static class CompletionScript
{
    public static string Bash(RootCommand root)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Collect(root, ["det"], entries);
        var text = new StringBuilder();
        text.AppendLine("# bash completion for det (Determinant); load with: source <(det completion bash)");
        text.AppendLine("declare -gA _det_words=(");
        foreach (var (path, words) in entries)
            text.Append("  [\"").Append(path).Append("\"]=\"").Append(words).AppendLine("\"");
        text.AppendLine(")");
        text.AppendLine("""
            _det() {
              local cur="${COMP_WORDS[COMP_CWORD]}" path="det" word i
              for ((i = 1; i < COMP_CWORD; i++)); do
                word="${COMP_WORDS[i]}"
                case "$word" in
                  -*) ;;
                  *) if [[ -n "${_det_words["$path $word"]+set}" ]]; then path="$path $word"; fi ;;
                esac
              done
              COMPREPLY=($(compgen -W "${_det_words["$path"]}" -- "$cur"))
            }
            complete -o default -F _det det
            """);
        return text.ToString();
    }

    /// <summary>The bash script through zsh's bash-completion emulation.</summary>
    public static string Zsh(RootCommand root) =>
        "#compdef det\n# zsh completion for det (Determinant); load with: source <(det completion zsh)\n"
        + "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + Bash(root);

    private static void Collect(Command command, List<string> path, SortedDictionary<string, string> entries)
    {
        var words = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name))
            .Concat(command.Options.Concat(Recursive(command)).SelectMany(o => o.Aliases.Prepend(o.Name)))
            .Where(w => !w.StartsWith('/'))
            .Distinct(StringComparer.Ordinal);
        entries[string.Join(' ', path)] = string.Join(' ', words);
        foreach (var child in command.Subcommands)
            foreach (var name in child.Aliases.Prepend(child.Name))
                Collect(child, [.. path, name], entries);
    }

    private static IEnumerable<Option> Recursive(Command command) =>
        command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive).Concat(Recursive(p)));
}
