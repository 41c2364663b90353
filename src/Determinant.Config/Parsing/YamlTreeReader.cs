using System.Text.Json.Nodes;
using Determinant.Config.Binding;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Determinant.Config.Parsing;

/// <summary>
/// Turns YAML text into a JSON tree. It walks the parser's events directly rather than building YamlDotNet's own
/// document model first: one tree instead of two, and duplicate keys become located errors instead of exceptions.
/// </summary>
internal sealed class YamlTreeReader
{
    // Deeper documents are not configs; the limit keeps hostile input from exhausting the stack.
    private const int MaxDepth = 64;

    private readonly Parser _parser;
    private readonly string _root;
    private readonly ConfigDiagnostics _diagnostics;
    private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

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
        var reader = new YamlTreeReader(text, root, diagnostics);
        try
        {
            return reader.ReadStream(out node);
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
        if (depth > MaxDepth)
            throw new YamlException(current.Start, current.End, $"nesting deeper than {MaxDepth} levels");
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} refers to no anchor");
                return target?.DeepClone();
            case Scalar scalar:
                _parser.MoveNext();
                return Remember(scalar, YamlScalars.Resolve(scalar, path, _diagnostics));
            case SequenceStart start:
                _parser.MoveNext();
                return Remember(start, ReadSequence(path, depth));
            case MappingStart start:
                _parser.MoveNext();
                return Remember(start, ReadMapping(path, depth));
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

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

    private JsonNode? Remember(NodeEvent node, JsonNode? value)
    {
        if (!node.Anchor.IsEmpty)
            _anchors[node.Anchor.Value] = value;
        return value;
    }

    private void SyntaxError(Mark at, string message) =>
        _diagnostics.Error(_root, $"YAML syntax error at line {at.Line}, column {at.Column}: {message}");

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (Line: …): "; we give the position our own way.
    private static string TrimPosition(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && cut >= 0 ? message[(cut + 3)..] : message;
    }
}
