namespace Determinant.Config.Tests.Loading;

/// <summary>Assertions on error lines by path and key words, not by exact wording (REFERENCE.md §2.1).</summary>
internal static class Expect
{
    public static void Line(IEnumerable<string> lines, string path, params string[] words)
    {
        var all = lines.ToList();
        Assert.True(
            all.Exists(l => l.StartsWith(path + ": ", StringComparison.Ordinal) && words.All(w => l.Contains(w, StringComparison.Ordinal))),
            $"expected a line at {path} mentioning {string.Join(", ", words)}; got:\n{string.Join("\n", all)}");
    }
}
