namespace Determinant.Searchers.Methods;

/// <summary>One trial of an ASHA bracket: the rung it is in and whether that rung still waits for its result.</summary>
internal sealed class AshaTrial(RequestId id, int index)
{
    public RequestId Id { get; } = id;

    /// <summary>Creation order within the bracket; rung entries refer to trials by it in snapshots.</summary>
    public int Index { get; } = index;

    public int Rung { get; set; }

    /// <summary>Counted as outstanding in <see cref="Rung"/>: created or promoted there and not reported yet.</summary>
    public bool Pending { get; set; }

    public bool Closed { get; set; }

    public bool Exited { get; set; }

    public bool Invalid { get; set; }

    public int Flags => (Pending ? 1 : 0) | (Closed ? 2 : 0) | (Exited ? 4 : 0) | (Invalid ? 8 : 0);

    public void SetFlags(int flags)
    {
        Pending = (flags & 1) != 0;
        Closed = (flags & 2) != 0;
        Exited = (flags & 4) != 0;
        Invalid = (flags & 8) != 0;
    }
}
