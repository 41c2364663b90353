namespace Determinant.Protocol.Agent;

/// <summary>Allocation states an agent reports, in the order they happen.</summary>
public static class AllocationStates
{
    /// <summary>The launch was accepted: the working directory and the model definition are being prepared.</summary>
    public const string Starting = "STARTING";

    /// <summary>The process runs.</summary>
    public const string Running = "RUNNING";

    /// <summary>The process exited (or never started); every log line of it was shipped before this event.</summary>
    public const string Exited = "EXITED";
}
