namespace Determinant.Harness;

/// <summary>The exit codes of a trial process run by <see cref="HarnessMain"/>.</summary>
public static class HarnessExitCodes
{
    /// <summary>Training ended normally, was stopped and acknowledged, or ended as <c>INVALID_HP</c> (reported first).</summary>
    public const int Success = 0;

    /// <summary>The trial failed: its exception and stack trace are on standard error. The master may restart it.</summary>
    public const int TrialFailed = 1;

    /// <summary>The environment is incomplete or malformed (a <c>DET_</c> variable, the trial class); nothing was trained.</summary>
    public const int InvalidEnvironment = 2;
}
