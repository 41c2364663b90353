using System.Text;
using System.Text.Json.Nodes;
using Determinant.Config.Binding;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Determinant.Config.Parsing;

/// <summary>
/// Turns YAML text into a JSON tree. It walks the parser's events directly rather than building YamlDotNet's own
/// document model first: one tree instead of two, and duplicate keys become located errors instead of exceptions.
/// </summary>
/// <remarks>
/// The text is bounded before parsing (<see cref="ConfigLimits.MaxYamlBytes"/>), and the tree while it is built: an
/// alias counts as every node it copies, so a "billion laughs" document stops at <see cref="ConfigLimits.MaxYamlNodes"/>
/// nodes instead of growing the master, and its depth counts at the place it is copied to.
/// </remarks>
internal sealed class YamlTreeReader
{
    private readonly Parser _parser;
    private readonly string _root;
    private readonly ConfigDiagnostics _diagnostics;
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private int _nodes;
    private int _deepest;

    private YamlTreeReader(string text, string root, ConfigDiagnostics diagnostics)
    {
        _parser = new Parser(new StringReader(text));
        _root = root;
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Reads the single document in <paramref name="text"/>; false after a syntax error, which is reported.
    /// <paramref name="node"/> is null when the text holds no document or an empty one.
    /// </summary>
    public static bool TryRead(string text, string root, ConfigDiagnostics diagnostics, out JsonNode? node)
    {
        node = null;
        // Counting is linear and allocates nothing; a text this large is refused before the scanner sees any of it.
        if (text.Length > ConfigLimits.MaxYamlBytes / 3 && Encoding.UTF8.GetByteCount(text) is var bytes and > ConfigLimits.MaxYamlBytes)
        {
            diagnostics.Error(root, $"the config is {bytes} bytes, over the limit of {ConfigLimits.MaxYamlBytes} bytes (1 MiB, ConfigLimits.MaxYamlBytes)");
            return false;
        }
        var reader = new YamlTreeReader(text, root, diagnostics);
        try
        {
            return reader.ReadStream(out node);
        }
        catch (LimitExceededException e)
        {
            reader.LimitError(e.At, e.Message);
        }
        catch (YamlException e)
        {
            reader.SyntaxError(e.Start, TrimPosition(e.Message));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, on some unterminated flow collections.
            reader.SyntaxError(reader._parser.Current?.End ?? Mark.Empty, "unexpected end of input inside a flow collection");
        }
        node = null;
        return false;
    }

    private bool ReadStream(out JsonNode? node)
    {
        node = null;
        _parser.Consume<StreamStart>();
        if (_parser.Current is StreamEnd)
            return true;
        _parser.Consume<DocumentStart>();
        node = ReadNode(_root, depth: 0);
        _parser.Consume<DocumentEnd>();
        if (_parser.Current is DocumentStart extra)
        {
            _diagnostics.Error(_root, $"expected one YAML document, found another at line {extra.Start.Line}, column {extra.Start.Column}");
            return false;
        }
        return true;
    }

    private JsonNode? ReadNode(string path, int depth)
    {
        var current = _parser.Current ?? throw new YamlException("unexpected end of input");
        if (depth > ConfigLimits.MaxYamlDepth)
            throw new LimitExceededException(current.Start, $"nesting deeper than the limit of {ConfigLimits.MaxYamlDepth} levels (ConfigLimits.MaxYamlDepth)");
        if (current is AnchorAlias alias)
        {
            _parser.MoveNext();
            return Expand(alias, depth);
        }
        if (++_nodes > ConfigLimits.MaxYamlNodes)
            throw TooManyNodes(current.Start, "");
        var nodesBefore = _nodes;
        var deepestBefore = _deepest;
        _deepest = depth;
        JsonNode? value;
        switch (current)
        {
            case Scalar scalar:
                _parser.MoveNext();
                value = YamlScalars.Resolve(scalar, path, _diagnostics);
                break;
            case SequenceStart:
                _parser.MoveNext();
                value = ReadSequence(path, depth);
                break;
            case MappingStart:
                _parser.MoveNext();
                value = ReadMapping(path, depth);
                break;
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
        var anchor = ((NodeEvent)current).Anchor;
        if (!anchor.IsEmpty)
            _anchors[anchor.Value] = new Anchored(value, _nodes - nodesBefore + 1, _deepest - depth);
        _deepest = Math.Max(_deepest, deepestBefore);
        return value;
    }

    /// <summary>An alias is a copy of its anchor's tree, so it costs every node of that tree and nests it where it stands.</summary>
    private JsonNode? Expand(AnchorAlias alias, int depth)
    {
        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
        if (depth + target.Height > ConfigLimits.MaxYamlDepth)
        {
            throw new LimitExceededException(alias.Start,
                $"alias *{alias.Value.Value} nests the config deeper than the limit of {ConfigLimits.MaxYamlDepth} levels (ConfigLimits.MaxYamlDepth)");
        }
        if (_nodes + (long)target.Size > ConfigLimits.MaxYamlNodes)
            throw TooManyNodes(alias.Start, $"alias *{alias.Value.Value} copies {target.Size} values and ");
        _nodes += target.Size;
        _deepest = Math.Max(_deepest, depth + target.Height);
        return target.Node?.DeepClone();
    }

    private static LimitExceededException TooManyNodes(Mark at, string cause) => new(at,
        $"{cause}the config holds more than the limit of {ConfigLimits.MaxYamlNodes} values once aliases are expanded (ConfigLimits.MaxYamlNodes)");

    private JsonArray ReadSequence(string path, int depth)
    {
        var array = new JsonArray();
        while (_parser.Current is not SequenceEnd)
            array.Add(ReadNode($"{path}[{array.Count}]", depth + 1));
        _parser.MoveNext();
        return array;
    }

    private JsonObject ReadMapping(string path, int depth)
    {
        var map = new JsonObject();
        while (_parser.Current is not MappingEnd)
        {
            if (_parser.Current is not Scalar key)
                throw new YamlException(_parser.Current!.Start, _parser.Current.End, "a mapping key must be a plain value, not a list or mapping");
            _parser.MoveNext();
            var value = ReadNode($"{path}.{key.Value}", depth + 1);
            if (!map.TryAdd(key.Value, value))
                _diagnostics.Error(path, $"duplicate key \"{key.Value}\" at line {key.Start.Line}, column {key.Start.Column}");
        }
        _parser.MoveNext();
        return map;
    }

    private void SyntaxError(Mark at, string message) =>
        _diagnostics.Error(_root, $"YAML syntax error at line {at.Line}, column {at.Column}: {message}");

    private void LimitError(Mark at, string message) =>
        _diagnostics.Error(_root, $"at line {at.Line}, column {at.Column}: {message}");

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (Line: …): "; we give the position our own way.
    private static string TrimPosition(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && cut >= 0 ? message[(cut + 3)..] : message;
    }

    /// <summary>An anchored tree, with the nodes it holds and how many levels it nests below itself.</summary>
    private readonly record struct Anchored(JsonNode? Node, int Size, int Height);

    /// <summary>A limit of <see cref="ConfigLimits"/> was reached; reported as such, not as a syntax error.</summary>
    private sealed class LimitExceededException(Mark at, string message) : Exception(message)
    {
        public Mark At { get; } = at;
    }
}
