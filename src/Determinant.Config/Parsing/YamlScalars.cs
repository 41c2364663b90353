using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Determinant.Config.Binding;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Determinant.Config.Parsing;

/// <summary>
/// Gives YAML scalars their types by the YAML 1.2 core schema: quoted text is always a string, and only the plain
/// spellings below become null, booleans or numbers (so <c>yes</c> and <c>on</c> stay strings, unlike YAML 1.1).
/// </summary>
internal static partial class YamlScalars
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static JsonValue? Resolve(Scalar scalar, string path, ConfigDiagnostics diagnostics)
    {
        var text = scalar.Value;
        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
            return ResolveTagged(scalar, path, diagnostics);
        if (scalar.Style is not ScalarStyle.Plain || !scalar.Tag.IsEmpty)
            return JsonValue.Create(text);
        return ResolvePlain(text, path, diagnostics);
    }

    private static JsonValue? ResolvePlain(string text, string path, ConfigDiagnostics diagnostics)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF"
                or ".nan" or ".NaN" or ".NAN":
                diagnostics.Error(path, $"{text} is not supported: numbers must be finite");
                return JsonValue.Create(text);
        }
        if (text.Length == 0 || !(char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.'))
            return JsonValue.Create(text);
        if (IntegerPattern().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                return JsonValue.Create(integer);
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return JsonValue.Create(hex);
        if (text.StartsWith("0o", StringComparison.Ordinal) && TryParseOctal(text.AsSpan(2), out var octal))
            return JsonValue.Create(octal);
        if (FloatPattern().IsMatch(text))
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    private static JsonValue? ResolveTagged(Scalar scalar, string path, ConfigDiagnostics diagnostics)
    {
        var tag = scalar.Tag.Value;
        var kind = tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? tag[TagPrefix.Length..] : tag;
        if (kind == "str")
            return JsonValue.Create(scalar.Value);
        var resolved = ResolvePlain(scalar.Value, path, diagnostics);
        var matches = kind switch
        {
            "null" => resolved is null,
            "bool" => resolved is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
            "int" => resolved is JsonValue v && v.TryGetValue<long>(out _),
            "float" => resolved is JsonValue v && v.GetValueKind() is System.Text.Json.JsonValueKind.Number,
            _ => false,
        };
        if (matches)
            return kind == "float" && resolved!.AsValue().TryGetValue<long>(out var whole) ? JsonValue.Create((double)whole) : resolved;
        var shown = tag.StartsWith(TagPrefix, StringComparison.Ordinal) ? "!!" + kind : tag;
        diagnostics.Error(path, $"the tag {shown} does not fit the value \"{scalar.Value}\" (supported tags: !!str, !!int, !!float, !!bool, !!null)");
        return JsonValue.Create(scalar.Value);
    }

    private static bool TryParseOctal(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
            return false;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7' || value > (long.MaxValue >> 3))
                return false;
            value = (value << 3) + (c - '0');
        }
        return true;
    }

    [GeneratedRegex("^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();
}
