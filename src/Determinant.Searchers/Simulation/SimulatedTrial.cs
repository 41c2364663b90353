namespace Determinant.Searchers.Simulation;

/// <summary>A trial as the simulated master sees it.</summary>
internal sealed class SimulatedTrial(CreateTrial create, int number)
{
    public CreateTrial Create { get; } = create;

    public RequestId Id => Create.RequestId;

    /// <summary>1-based creation order, like the master's trial ids within one experiment.</summary>
    public int Number { get; } = number;

    /// <summary>Every ValidateAfter target the trial received, in order.</summary>
    public List<ulong> Lengths { get; } = [];

    public bool OpDone { get; set; } = true;

    public bool CloseRequested { get; set; }

    public bool CloseQueued { get; set; }

    public ExitedReason? Exit { get; set; }

    /// <summary>Whether the trial reached a terminal state (TrialClosed was delivered).</summary>
    public bool Closed { get; set; }
}
