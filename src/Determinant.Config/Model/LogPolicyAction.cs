namespace Determinant.Config;

/// <summary>What a matching log line does to a trial.</summary>
public enum LogPolicyAction
{
    /// <summary>Stop restarting the trial after it fails.</summary>
    CancelRetries,

    /// <summary>Do not schedule the trial on this node again.</summary>
    ExcludeNode,
}
