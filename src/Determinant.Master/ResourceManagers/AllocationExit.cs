namespace Determinant.Master.ResourceManagers;

/// <summary>How an allocation's processes ended.</summary>
internal enum AllocationExitKind
{
    /// <summary>Exit code 0.</summary>
    Clean,

    /// <summary>A non-zero exit or a crash of the user's code.</summary>
    Failed,

    /// <summary>The cluster lost the task (agent lost, master restart); not the trial's fault.</summary>
    TransientSystemError,

    /// <summary>The task could never run (bad image, invalid spec).</summary>
    FatalSystemError,
}

/// <summary>An allocation's exit as the scheduler reports it.</summary>
/// <param name="Kind">How it ended.</param>
/// <param name="ExitCode">The process exit code, when there was one.</param>
/// <param name="DontRetryMatched">A <c>log_policies</c> don't-retry pattern matched the task's logs.</param>
internal sealed record AllocationExit(AllocationExitKind Kind, int? ExitCode = null, bool DontRetryMatched = false);
