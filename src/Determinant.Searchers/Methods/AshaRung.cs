namespace Determinant.Searchers.Methods;

/// <summary>One rung of an ASHA bracket: its target length, its results sorted best first, and how many trials it still awaits.</summary>
internal sealed class AshaRung(ulong target)
{
    public ulong Target { get; } = target;

    public List<AshaEntry> Entries { get; } = [];

    public int Outstanding { get; set; }

    /// <summary>Set when an entry arrives; the close-out pass only walks rungs that changed since it last did.</summary>
    public bool Dirty { get; set; }

    public int Count => Entries.Count;

    /// <summary>Inserts before the first strictly worse value, so ties go after existing equal values (promotion mode).</summary>
    public int InsertAfterEquals(AshaEntry entry)
    {
        int lo = 0, hi = Entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Entries[mid].Value > entry.Value)
                hi = mid;
            else
                lo = mid + 1;
        }
        Entries.Insert(lo, entry);
        Dirty = true;
        return lo;
    }

    /// <summary>Inserts before the first value that is not better, so ties go before existing equal values (stopping mode).</summary>
    public int InsertBeforeEquals(AshaEntry entry)
    {
        int lo = 0, hi = Entries.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Entries[mid].Value >= entry.Value)
                hi = mid;
            else
                lo = mid + 1;
        }
        Entries.Insert(lo, entry);
        Dirty = true;
        return lo;
    }
}
