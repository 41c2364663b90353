using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads <c>entrypoint</c> (REFERENCE.md §2.8): a non-empty string or a non-empty list of strings.</summary>
internal static class EntrypointBinder
{
    public static Entrypoint? Bind(Section section)
    {
        var node = section.Get("entrypoint");
        var path = section.PathOf("entrypoint");
        switch (node)
        {
            case null:
                return null;
            case JsonArray list:
                var argv = Values.Strings(list, path, section.Diagnostics);
                if (list.Count > 0)
                    return argv.Length == list.Count ? Entrypoint.FromArgv(argv) : null;
                break;
            default:
                if (NodeValues.TryGetString(node, out var command) && command.Trim().Length > 0)
                    return Entrypoint.FromCommand(command);
                break;
        }
        section.Diagnostics.Error(path, $"must be a non-empty string or list of strings, not {NodeValues.Describe(node)}");
        return null;
    }
}
