namespace Determinant.Searchers;

/// <summary>The searcher's name for a trial, chosen before the trial exists (a UUIDv4 drawn from the experiment RNG).</summary>
/// <param name="Value">The UUID.</param>
public readonly record struct RequestId(Guid Value)
{
    /// <summary>Parses the canonical <c>xxxxxxxx-xxxx-…</c> form.</summary>
    public static RequestId Parse(string text) => new(Guid.ParseExact(text, "D"));

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("D");
}
