namespace Determinant.Searchers;

/// <summary><paramref name="Trials"/> trials that each receive the same successive ValidateAfter targets.</summary>
/// <param name="Trials">How many trials.</param>
/// <param name="Lengths">The absolute targets of their operations, in order; the last is where they stop.</param>
public sealed record SearchPlanGroup(int Trials, IReadOnlyList<ulong> Lengths)
{
    /// <summary>Equal when the counts and the length sequences are.</summary>
    public bool Equals(SearchPlanGroup? other) =>
        other is not null && Trials == other.Trials && Lengths.SequenceEqual(other.Lengths);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Trials);
        foreach (var length in Lengths)
            hash.Add(length);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Trials} x [{string.Join(", ", Lengths)}]";
}
