using System.Text;
using System.Text.RegularExpressions;

namespace Determinant.Client;

/// <summary>
/// <c>.detignore</c> rules with <c>.gitignore</c> syntax: <c>#</c> comments, <c>!</c> to re-include, a trailing <c>/</c> for
/// directories only, a <c>/</c> inside or in front to anchor at the model directory, and <c>*</c>, <c>?</c>, <c>**</c>, <c>[…]</c>.
/// The last matching rule wins.
/// </summary>
internal sealed class IgnoreRules
{
    /// <summary>What is never worth sending: caches, VCS and IDE state, .NET build outputs.</summary>
    public static readonly string[] Defaults = ["__pycache__/", "*.py[co]", ".git/", ".hg/", ".svn/", ".idea/", ".vscode/", ".vs/", "bin/", "obj/"];

    private readonly List<(Regex Pattern, bool Negated, bool DirectoryOnly)> _rules = [];

    public IgnoreRules(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var negated = line.StartsWith('!');
            if (negated)
                line = line[1..];
            if (line.StartsWith("\\#", StringComparison.Ordinal) || line.StartsWith("\\!", StringComparison.Ordinal))
                line = line[1..];
            var directoryOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            if (line.Length == 0)
                continue;
            var anchored = line.Contains('/', StringComparison.Ordinal);
            line = line.TrimStart('/');
            var body = Translate(line);
            _rules.Add((new Regex((anchored ? "^" : "^(?:.*/)?") + body + "$", RegexOptions.CultureInvariant), negated, directoryOnly));
        }
    }

    /// <summary>Whether a path (relative, <c>/</c>-separated) is ignored.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var ignored = false;
        foreach (var (pattern, negated, directoryOnly) in _rules)
        {
            if (directoryOnly && !isDirectory)
                continue;
            if (pattern.IsMatch(relativePath))
                ignored = !negated;
        }
        return ignored;
    }

    private static string Translate(string glob)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                regex.Append(slashAfter ? "(?:.*/)?" : ".*");
                i += slashAfter ? 2 : 1;
            }
            else if (c == '*')
                regex.Append("[^/]*");
            else if (c == '?')
                regex.Append("[^/]");
            else if (c == '[' && glob.IndexOf(']', i + 1) is var close and > 0)
            {
                var set = glob[(i + 1)..close];
                regex.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                i = close;
            }
            else if (c == '\\' && i + 1 < glob.Length)
                regex.Append(Regex.Escape(glob[++i].ToString()));
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        return regex.ToString();
    }
}
