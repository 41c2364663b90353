using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Determinant.Cli.Output;

/// <summary>API objects as the master writes them (camelCase, <c>STATE_</c> names), indented, for <c>--json</c>.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonNode? Node<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToNode(value, type);

    public static JsonArray Array<T>(IEnumerable<T> values, JsonTypeInfo<T> type) => new([.. values.Select(v => Node(v, type))]);

    public static void Write(TextWriter output, JsonNode? node) => output.WriteLine(node?.ToJsonString(Indented) ?? "null");
}
