using System.CommandLine;
using System.CommandLine.Parsing;

namespace Determinant.Cli;

/// <summary>
/// What <c>det</c> prints for a command line it cannot parse: each error, a suggestion for a mistyped command or flag, the
/// command's usage line and where to find more; and the expansion of abbreviated long flags (<c>--follow</c> for
/// <c>--follow-first-trial</c>, REFERENCE.md §6.1).
/// </summary>
internal static class UsageErrors
{
    /// <summary>Replaces each unknown <c>--flag</c> that is the prefix of exactly one of its command's long options by that option.</summary>
    public static string[] ExpandAbbreviations(RootCommand root, string[] args) => ExpandAbbreviations(args, root.Parse(args));

    /// <summary>Parses once, and a second time only when an abbreviated flag was expanded (a parse costs milliseconds at start-up).</summary>
    public static ParseResult ParseWithAbbreviations(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        var expanded = ExpandAbbreviations(args, parsed);
        return expanded.SequenceEqual(args, StringComparer.Ordinal) ? parsed : root.Parse(expanded);
    }

    private static string[] ExpandAbbreviations(string[] args, ParseResult parsed)
    {
        var names = OptionNames(parsed.CommandResult).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        // An unknown --flag may have been taken as an optional argument's value, so every such token is looked at.
        var expanded = args.Select(arg =>
        {
            var (flag, rest) = arg.IndexOf('=', StringComparison.Ordinal) is var i and > 0 ? (arg[..i], arg[i..]) : (arg, "");
            if (!flag.StartsWith("--", StringComparison.Ordinal) || flag.Length < 3 || names.Contains(flag))
                return arg;
            var candidates = names.Where(n => n.StartsWith(flag, StringComparison.Ordinal)).ToList();
            return candidates.Count == 1 ? candidates[0] + rest : arg;
        }).ToArray();
        return expanded;
    }

    public static void Print(ParseResult parsed, TextWriter error)
    {
        // "Required command was not provided" only repeats what the unknown token already says.
        foreach (var e in parsed.Errors.Where(e => parsed.UnmatchedTokens.Count == 0 || !e.Message.StartsWith("Required command", StringComparison.Ordinal)))
            error.WriteLine($"det: {e.Message}");
        var command = parsed.CommandResult;
        foreach (var token in parsed.UnmatchedTokens)
        {
            var candidates = token.StartsWith('-') ? OptionNames(command) : command.Command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name));
            var suggestions = Suggest(token, candidates);
            if (suggestions.Count > 0)
                error.WriteLine($"Did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}?");
        }
        error.WriteLine($"Usage: {UsageLine(command)}");
        error.WriteLine($"Run '{CommandPath(command)} --help' for more.");
    }

    /// <summary>The closest few candidates by edit distance (a prefix counts as close).</summary>
    internal static IReadOnlyList<string> Suggest(string token, IEnumerable<string> candidates)
    {
        var word = token.TrimStart('-');
        return [.. candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: c.TrimStart('-').StartsWith(word, StringComparison.Ordinal) && word.Length >= 2 ? 0 : Distance(word, c.TrimStart('-'))))
            .Where(c => c.Distance <= Math.Max(1, word.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)];
    }

    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? result = command; result is CommandResult current; result = current.Parent)
            foreach (var option in current.Command.Options.Where(o => ReferenceEquals(current, command) || o.Recursive))
                foreach (var name in option.Aliases.Prepend(option.Name))
                    yield return name;
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is CommandResult current; result = current.Parent)
            names.Add(current.Parent is null ? "det" : current.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string UsageLine(CommandResult command)
    {
        var parts = new List<string> { CommandPath(command) };
        if (command.Command.Subcommands.Count > 0)
            parts.Add("<command>");
        parts.AddRange(command.Command.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[<{a.Name}>]" : $"<{a.Name}>"));
        parts.Add("[options]");
        return string.Join(' ', parts);
    }

    /// <summary>Edit distance with adjacent transpositions (optimal string alignment): "lsit" is one edit from "list".</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
