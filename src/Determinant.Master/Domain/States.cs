using Determinant.Protocol.Api;

namespace Determinant.Master.Domain;

/// <summary>The state facts of REFERENCE.md §5.1–§5.2 as pure functions.</summary>
internal static class States
{
    public static bool IsTerminal(ExperimentState s) => s is ExperimentState.Completed or ExperimentState.Canceled or ExperimentState.Error
        or ExperimentState.Deleting or ExperimentState.Deleted or ExperimentState.DeleteFailed;

    public static bool IsStopping(ExperimentState s) => s is ExperimentState.StoppingCompleted or ExperimentState.StoppingCanceled
        or ExperimentState.StoppingKilled or ExperimentState.StoppingError;

    public static bool IsTerminal(TrialState s) => s is TrialState.Completed or TrialState.Canceled or TrialState.Error;

    public static bool IsStopping(TrialState s) => s is TrialState.StoppingCompleted or TrialState.StoppingCanceled
        or TrialState.StoppingKilled or TrialState.StoppingError;

    /// <summary>Stopping states only get more severe: completed &lt; canceled &lt; killed &lt; error.</summary>
    public static int Severity(ExperimentState s) => s switch
    {
        ExperimentState.StoppingCompleted => 1,
        ExperimentState.StoppingCanceled => 2,
        ExperimentState.StoppingKilled => 3,
        ExperimentState.StoppingError => 4,
        _ => 0,
    };

    public static int Severity(TrialState s) => Severity(ToExperiment(s));

    public static TrialState TerminalOf(TrialState stopping) => stopping switch
    {
        TrialState.StoppingCompleted => TrialState.Completed,
        TrialState.StoppingCanceled or TrialState.StoppingKilled => TrialState.Canceled,
        TrialState.StoppingError => TrialState.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(stopping), stopping, "not a stopping state"),
    };

    public static ExperimentState TerminalOf(ExperimentState stopping) => stopping switch
    {
        ExperimentState.StoppingCompleted => ExperimentState.Completed,
        ExperimentState.StoppingCanceled or ExperimentState.StoppingKilled => ExperimentState.Canceled,
        ExperimentState.StoppingError => ExperimentState.Error,
        _ => throw new ArgumentOutOfRangeException(nameof(stopping), stopping, "not a stopping state"),
    };

    /// <summary>Whether a move to <paramref name="to"/> is taken; a patch to a less severe stopping state or out of a terminal one is ignored.</summary>
    public static bool Accepts(ExperimentState from, ExperimentState to) => from switch
    {
        _ when IsTerminal(from) => false,
        ExperimentState.Active or ExperimentState.Paused => to != from,
        _ when IsStopping(from) => IsStopping(to) ? Severity(to) > Severity(from) : IsTerminal(to),
        _ => false,
    };

    public static ExperimentState ToExperiment(TrialState s) => s switch
    {
        TrialState.Active => ExperimentState.Active,
        TrialState.Paused => ExperimentState.Paused,
        TrialState.StoppingCompleted => ExperimentState.StoppingCompleted,
        TrialState.StoppingCanceled => ExperimentState.StoppingCanceled,
        TrialState.StoppingKilled => ExperimentState.StoppingKilled,
        TrialState.StoppingError => ExperimentState.StoppingError,
        TrialState.Completed => ExperimentState.Completed,
        TrialState.Canceled => ExperimentState.Canceled,
        _ => ExperimentState.Error,
    };

    public static TrialState ToTrial(ExperimentState s) => s switch
    {
        ExperimentState.Active => TrialState.Active,
        ExperimentState.Paused => TrialState.Paused,
        ExperimentState.StoppingCompleted => TrialState.StoppingCompleted,
        ExperimentState.StoppingCanceled => TrialState.StoppingCanceled,
        ExperimentState.StoppingKilled => TrialState.StoppingKilled,
        ExperimentState.StoppingError => TrialState.StoppingError,
        _ => TrialState.Paused,
    };
}
