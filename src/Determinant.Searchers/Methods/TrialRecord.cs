namespace Determinant.Searchers.Methods;

/// <summary>What the shared bookkeeping (REFERENCE.md §3.1) knows about one requested trial.</summary>
internal sealed class TrialRecord
{
    public bool Created { get; set; }

    public bool Closed { get; set; }

    public bool Exited { get; set; }

    public bool Invalid { get; set; }

    public bool Canceled { get; set; }

    public bool Failed { get; set; }

    /// <summary>Units trained as last reported, already clamped to what counts toward progress; 0 once dropped.</summary>
    public double Units { get; set; }

    /// <summary>Whether the trial has a current <see cref="ValidateAfter"/> that has not completed yet.</summary>
    public bool HasPendingOp { get; set; }

    public ulong PendingLength { get; set; }

    /// <summary>Length of the last completed operation (0 when none has).</summary>
    public ulong CompletedLength { get; set; }

    public int CompletedOps { get; set; }

    /// <summary>Packs the flags for the snapshot.</summary>
    public int Flags =>
        (Created ? 1 : 0) | (Closed ? 2 : 0) | (Exited ? 4 : 0) | (Invalid ? 8 : 0)
        | (Canceled ? 16 : 0) | (Failed ? 32 : 0) | (HasPendingOp ? 64 : 0);

    public void SetFlags(int flags)
    {
        Created = (flags & 1) != 0;
        Closed = (flags & 2) != 0;
        Exited = (flags & 4) != 0;
        Invalid = (flags & 8) != 0;
        Canceled = (flags & 16) != 0;
        Failed = (flags & 32) != 0;
        HasPendingOp = (flags & 64) != 0;
    }
}
