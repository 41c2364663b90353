namespace Determinant.Searchers;

/// <summary>Why a trial ended before the searcher closed it.</summary>
public enum ExitedReason
{
    /// <summary>The training code rejected its hyperparameters; the trial does not count and may be replaced.</summary>
    InvalidHp,

    /// <summary>The trial failed.</summary>
    Errored,

    /// <summary>A user canceled or killed the trial.</summary>
    UserCanceled,

    /// <summary>The training code asked to stop early.</summary>
    UserRequestedStop,
}
