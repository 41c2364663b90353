using System.Text.Json;

namespace Determinant.Client;

/// <summary>The RFC 7807 problem document the master answers an error with.</summary>
/// <param name="Title">A short summary of the kind of problem.</param>
/// <param name="Detail">What went wrong with this request.</param>
/// <param name="Errors">Every individual error, e.g. one <c>&lt;config&gt;.path: message</c> line per invalid config field.</param>
public sealed record ApiProblem(string? Title, string? Detail, IReadOnlyList<string> Errors)
{
    /// <summary>Reads a problem document; anything that is not one gives a problem whose detail is the body's text.</summary>
    /// <param name="body">The response body.</param>
    /// <returns>The problem; never null.</returns>
    public static ApiProblem Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new ApiProblem(null, Shorten(body), []);
            return new ApiProblem(Text(root, "title"), Text(root, "detail"), ErrorLines(root));
        }
        catch (JsonException)
        {
            return new ApiProblem(null, Shorten(body), []);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Accepts a list of lines and ASP.NET's validation form, a map from field to messages.</summary>
    private static List<string> ErrorLines(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors))
            return [];
        if (errors.ValueKind == JsonValueKind.Array)
            return errors.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
        if (errors.ValueKind != JsonValueKind.Object)
            return [];
        var lines = new List<string>();
        foreach (var field in errors.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Array)
                lines.AddRange(field.Value.EnumerateArray().Select(m => $"{field.Name}: {m.GetString() ?? m.GetRawText()}"));
            else
                lines.Add($"{field.Name}: {field.Value.GetString() ?? field.Value.GetRawText()}");
        }
        return lines;
    }

    private static string? Shorten(string body)
    {
        var text = body.Trim();
        return text.Length == 0 ? null : text.Length <= 500 ? text : text[..500] + "…";
    }
}
